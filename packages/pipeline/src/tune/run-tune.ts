import { availableParallelism } from 'node:os';
import type { Task } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { TuneSection } from '@myelin/spec';
import type { StepContext, StepOutputs } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import { AshaRungs } from './asha-rungs.js';
import { planTrials } from './plan-trials.js';
import { runTrial } from './run-trial.js';
import type { TrialRecord } from './trial-record.js';

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

/**
 * The train step of a pipeline with a `tune:` section: plans the trials, runs `parallelism` of them
 * at once (each a training and a measure of the objective on the validation split, on the run's
 * cached preprocessed artifacts), and passes the best trial's model on as the step's outputs, so
 * evaluate, the gates and register see the best trial. A cancelled run stops every trial at its
 * next epoch and fails the step (nothing is registered).
 */
export async function runTune(ctx: StepContext, tune: TuneSection): Promise<StepOutputs> {
  const task = input<Task>(ctx, 'preprocess', 'task');
  const metric = tune.objective.metric ?? (task === 'regression' ? 'r2' : 'accuracy');
  const direction = tune.objective.direction ?? (LOWER_IS_BETTER.has(metric) ? 'min' : 'max');
  const plan = planTrials(tune);
  const asha =
    tune.strategy === 'asha'
      ? new AshaRungs({
          minEpochs: tune.asha.minEpochs,
          factor: tune.asha.reductionFactor,
          maxEpochs: ctx.spec.train.epochs,
        })
      : null;
  const parallelism = Math.min(tune.parallelism, plan.length);
  const threads =
    ctx.spec.train.resources?.cpu ?? Math.max(1, Math.floor(availableParallelism() / parallelism));
  ctx.log(
    `tune: ${plan.length} ${tune.strategy} trials, ${parallelism} at a time, ${metric} (${direction}) on the validation split` +
      (asha ? `, rungs at epochs ${asha.rungs.join(', ') || '(none)'}` : ''),
  );
  const records: TrialRecord[] = [];
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < plan.length && !ctx.shouldStop()) {
      const index = next++;
      const record = await runTrial(ctx, { index, params: plan[index]!, metric, threads, asha });
      records[index] = record;
      done++;
      const what = record.metric !== null ? `${metric} ${record.metric.toFixed(4)}` : record.status;
      ctx.log(
        `trial ${index + 1}/${plan.length} (${done} done): ${what} after ${record.epochsRun} epochs; ${describeParams(record.params)}`,
      );
    }
  };
  await Promise.all(Array.from({ length: parallelism }, lane));
  if (ctx.shouldStop()) {
    throw new MyelinError(
      'MYELIN_ERR_RUN_CANCELLED',
      `tuning stopped on request after ${done} of ${plan.length} trials; nothing is registered`,
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
  const trials: TrialSummary[] = records.map(({ outputs: _outputs, ...summary }) => summary);
  return {
    ...best.outputs,
    tune: {
      strategy: tune.strategy,
      metric,
      direction,
      bestTrial: best.index,
      bestParams: best.params,
      bestMetric: best.metric,
    },
    trials,
  };
}
