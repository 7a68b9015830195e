import { withTunedValue, parseTunePath, type PipelineSpec } from '@myelin/spec';
import type { StepContext } from '../run/step-context.js';
import { trainWithSpec } from '../steps/train-step.js';
import { getJson, putJson } from '../util/json-artifacts.js';
import { parseRecorded, trialRecordSchema } from '../steps/step-output-schemas.js';
import type { RungBoard } from './asha-rungs.js';
import { measureObjective } from './measure-objective.js';
import type { TrialParams } from './trial-params.js';
import type { TrialRecord } from './trial-record.js';

/** The named ref of a trial's latest checkpoint: its own, so a resumed trial goes on from its epoch. */
export function trialCheckpointRef(runId: string, index: number): string {
  return `checkpoints/${runId}/tune/trial-${index}/latest`;
}

/** The named ref of a finished trial's record: a resumed tune step does not train it again. */
export function trialRecordRef(runId: string, index: number): string {
  return `tune/${runId}/trial-${index}`;
}

/** The spec of one trial: the pipeline's spec with the trial's values set. */
export function trialSpec(spec: PipelineSpec, params: TrialParams): PipelineSpec {
  let out = spec;
  for (const [path, value] of Object.entries(params)) {
    const segments = parseTunePath(path);
    if (segments) out = withTunedValue(out, segments, value);
  }
  return out;
}

export interface RunTrialOptions {
  index: number;
  params: TrialParams;
  metric: string;
  /** Torch intra-op threads; the engine's default (the worker's share of the cores) when omitted. */
  threads?: number;
  /** Where the trial reports its validation loss at ASHA's rungs; null without ASHA. */
  board: RungBoard | null;
}

/**
 * Runs one trial: trains the trial's spec on the run's preprocessed data (the same cached
 * artifacts for every trial) with its own checkpoint ref, reports each epoch to the ASHA rung board,
 * measures the objective on the validation split, and stores the record under
 * `trialRecordRef`. A trial already recorded (by an earlier attempt of the step) is read back.
 */
export async function runTrial(ctx: StepContext, o: RunTrialOptions): Promise<TrialRecord> {
  const recordRef = trialRecordRef(ctx.runId, o.index);
  const saved = await ctx.store.getRef(recordRef);
  if (saved) {
    const record = parseRecorded(
      trialRecordSchema,
      await getJson<unknown>(ctx.store, saved),
      `trial ${o.index}'s record`,
    );
    if (o.board) for (const [i, v] of record.curve.entries()) await o.board.report(o.index, i + 1, v);
    return record;
  }
  const curve: number[] = [];
  let prunedAt: number | null = null;
  const base = { index: o.index, params: o.params, curve };
  let record: TrialRecord;
  try {
    const trained = await trainWithSpec(ctx, trialSpec(ctx.spec, o.params), {
      checkpointRef: trialCheckpointRef(ctx.runId, o.index),
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      trial: {
        async onEpoch(epoch, metrics) {
          const value = metrics['val_loss'] ?? metrics['loss'] ?? Number.NaN;
          // a trial resumed from its checkpoint starts past epoch 1: the epochs before it are NaN
          // (not holes, which a record's readers would see as undefined)
          while (curve.length < epoch - 1) curve.push(Number.NaN);
          curve[epoch - 1] = value;
          if ((await o.board?.report(o.index, epoch, value)) === 'stop') prunedAt = epoch;
        },
        shouldStop: () => prunedAt !== null,
      },
    });
    if (!trained.outputs) {
      const status = prunedAt !== null && !ctx.shouldStop() ? 'pruned' : 'cancelled';
      record = {
        ...base,
        status,
        metric: null,
        epochsRun: trained.epochsRun,
        rung: status === 'pruned' ? prunedAt : null,
        outputs: null,
      };
      // a cancelled trial is not recorded: it resumes from its checkpoint when the run does
      if (status === 'cancelled') return record;
    } else {
      const metric = await measureObjective(ctx, trained.outputs, o.metric);
      record = {
        ...base,
        status: 'succeeded',
        metric,
        epochsRun: trained.epochsRun,
        rung: null,
        outputs: trained.outputs,
      };
    }
  } catch (error) {
    if (ctx.shouldStop()) throw error;
    const message = error instanceof Error ? error.message : String(error);
    record = {
      ...base,
      status: 'failed',
      metric: null,
      epochsRun: curve.length,
      rung: null,
      outputs: null,
      error: message,
    };
  }
  await ctx.fence();
  await ctx.store.putRef(recordRef, await putJson(ctx.store, record));
  return record;
}
