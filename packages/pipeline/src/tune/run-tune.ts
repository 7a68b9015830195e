import type { Task } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { TuneSection } from '@myelin/spec';
import type { StepContext } from '../run/step-context.js';
import type { TrainOutputs } from '../steps/step-outputs.js';
import { parseRecorded, trainedOutputsSchema } from '../steps/step-output-schemas.js';
import { input } from '../run/step-context.js';
import { ashaRungEpochs } from './asha-rungs.js';
import { inProcessTrials } from './in-process-trials.js';
import { planTrials } from './plan-trials.js';
import type { TrialRecord } from './trial-record.js';
import type { TrialRunner } from './trial-runner.js';

/** Metrics where lower is better; every other metric is maximised. */
const LOWER_IS_BETTER = new Set(['logLoss', 'ece', 'mse', 'rmse', 'mae']);

/** A trial as the train step's outputs list it (everything but its model files). */
export type TrialSummary = Omit<TrialRecord, 'outputs'>;

/** The lowest validation loss of a trial's curve (Infinity for none). */
function lowestLoss(r: TrialRecord): number {
  return Math.min(...r.curve.filter((v) => Number.isFinite(v)), Infinity);
}

/** Whether trial `a` beats `b`: a better objective, or the same objective and a lower validation loss. */
function better(a: TrialRecord, b: TrialRecord, direction: 'max' | 'min'): boolean {
  const [x, y] = [a.metric!, b.metric!];
  if (x !== y) return direction === 'max' ? x > y : x < y;
  return lowestLoss(a) < lowestLoss(b);
}

function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : String(v)}`)
    .join(' ');
}

/** The objective of a search: `tune.objective`, or the task's default (accuracy, r2). */
export function tuneObjective(tune: TuneSection, task: Task): { metric: string; direction: 'max' | 'min' } {
  const metric = tune.objective.metric ?? (task === 'regression' ? 'r2' : 'accuracy');
  return { metric, direction: tune.objective.direction ?? (LOWER_IS_BETTER.has(metric) ? 'min' : 'max') };
}

/** ASHA's rung settings of a search, or null for grid and random. */
export function tuneAsha(
  tune: TuneSection,
  epochs: number,
): { minEpochs: number; factor: number; maxEpochs: number } | null {
  return tune.strategy === 'asha'
    ? { minEpochs: tune.asha.minEpochs, factor: tune.asha.reductionFactor, maxEpochs: epochs }
    : null;
}

/**
 * The train step of a pipeline with a `tune:` section: plans the trials, has `runner` run them
 * (each a training and a measure of the objective on the validation split, on the run's cached
 * preprocessed artifacts: `parallelism` lanes in this process, or one queue job per trial), and
 * passes the best trial's model on as the step's outputs, so evaluate, the gates and register see
 * the best trial. A cancelled run stops every trial at its next epoch and fails the step (nothing
 * is registered).
 */
export async function runTune(
  ctx: StepContext,
  tune: TuneSection,
  runner: TrialRunner = inProcessTrials,
): Promise<TrainOutputs> {
  const task = input(ctx, 'preprocess', 'task');
  const { metric, direction } = tuneObjective(tune, task);
  const plan = planTrials(tune);
  const asha = tuneAsha(tune, ctx.spec.train.epochs);
  let done = 0;
  const trials = {
    plan,
    metric,
    parallelism: tune.parallelism,
    asha,
    onTrial(record: TrialRecord) {
      done++;
      const what = record.metric !== null ? `${metric} ${record.metric.toFixed(4)}` : record.status;
      ctx.log(
        `trial ${record.index + 1}/${plan.length} (${done} done): ${what} after ${record.epochsRun} epochs; ${describeParams(record.params)}`,
      );
    },
  };
  ctx.log(
    `tune: ${plan.length} ${tune.strategy} trials, ${runner.describe(trials)}, ${metric} (${direction}) on the validation split` +
      (asha ? `, rungs at epochs ${ashaRungEpochs(asha).join(', ') || '(none)'}` : ''),
  );
  const records = await runner.run(ctx, trials);
  const finished = records.filter((r) => r && r.status !== 'cancelled').length;
  if (ctx.shouldStop() || records.some((r) => r?.status === 'cancelled')) {
    throw new MyelinError(
      'MYELIN_ERR_RUN_CANCELLED',
      `tuning stopped on request after ${finished} of ${plan.length} trials; nothing is registered`,
      {
        path: 'tune',
      },
    );
  }
  let best: TrialRecord | undefined;
  for (const r of records) {
    if (
      r.status === 'succeeded' &&
      r.metric !== null &&
      Number.isFinite(r.metric) &&
      (!best || better(r, best, direction))
    )
      best = r;
  }
  if (!best?.outputs) {
    const failed = records.find((r) => r.error);
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `no tune trial finished${failed ? `; trial ${failed.index + 1}: ${failed.error}` : ''}`,
      {
        path: 'tune',
      },
    );
  }
  ctx.log(
    `tune: best trial ${best.index + 1} with ${metric} ${best.metric!.toFixed(4)}: ${describeParams(best.params)}`,
  );
  const summaries: TrialSummary[] = records.map(({ outputs: _outputs, ...summary }) => summary);
  return {
    // a queue trial's outputs come back as JSON
    ...parseRecorded(trainedOutputsSchema, best.outputs, `tune trial ${best.index + 1} outputs`),
    tune: {
      strategy: tune.strategy,
      metric,
      direction,
      bestTrial: best.index,
      bestParams: best.params,
      bestMetric: best.metric,
    },
    trials: summaries,
  };
}
