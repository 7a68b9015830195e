import type { Redis } from 'ioredis';
import type { ArtifactStore } from '@myelin/artifacts';
import { MyelinError } from '@myelin/errors';
import { toJobError } from '../queue/job-error.js';
import type { MetadataStore } from '@myelin/registry';
import { input } from '../run/step-context.js';
import { isFinalRunStatus } from '../queue/finish-queued-run.js';
import { isCancelFlagSet } from '../queue/run-cancel-flag.js';
import type { Fence } from '../queue/fence.js';
import type { StopReason } from '../queue/process-step-job.js';
import { planTrials } from './plan-trials.js';
import { queuedTrainContext } from './queued-train-context.js';
import { RedisRungBoard } from './redis-rung-board.js';
import { runTrial } from './run-trial.js';
import { tuneAsha, tuneObjective } from './run-tune.js';
import { parseTrialJobPayload } from './trial-job-payload.js';
import type { TrialRecord } from './trial-record.js';
import { fencedStores } from '../queue/fenced-stores.js';

/** What a trial job needs besides the job. */
export interface RunTrialJobOptions {
  store: ArtifactStore;
  meta: MetadataStore;
  /** The job's lock check: every write of the trial (its checkpoints, its record) passes it. */
  fence?: Fence;
  /** The reason to stop now, asked at each epoch boundary. */
  stopReason: () => StopReason | null;
  /** The queue's Redis, where the run's ASHA rungs are shared. */
  redis: Redis;
  /** The stack's queue prefix. */
  prefix: string;
}

/** How a trial job ended: its record (the train job reads it), dropped, or to be requeued. */
export type TrialJobResult =
  | { status: 'done'; record: TrialRecord }
  /** The run had ended or was cancelled before the trial started: nothing was trained. */
  | { status: 'skipped'; reason: string }
  /** The worker is shutting down: the trial stopped at an epoch with a checkpoint; requeue it. */
  | { status: 'requeue' };

/**
 * Runs one trial job of a queued run's search on a worker: the trial's values from the seeded plan
 * of the run's recorded spec, trained by `runTrial` on the run's cached preprocessed artifacts with
 * the trial's own checkpoint (a trial job recovered from a dead worker resumes from it), its
 * validation loss reported at ASHA's rungs on the run's shared Redis board, its objective measured
 * on the validation split. A trial of a run that ended or was cancelled is dropped before it
 * trains; one that is running stops at its next epoch (status `cancelled`, nothing recorded).
 */
export async function runTrialJob(job: { data: unknown }, opts: RunTrialJobOptions): Promise<TrialJobResult> {
  let payload;
  try {
    payload = parseTrialJobPayload(job.data);
  } catch (e) {
    throw toJobError(e, false);
  }
  const { fence, meta, store } = fencedStores(opts);
  const run = await meta.getRun(payload.runId);
  if (!run)
    throw toJobError(
      new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `run ${payload.runId} is not in the metadata store`),
      false,
    );
  if (isFinalRunStatus(run.status))
    return { status: 'skipped', reason: `run ${run.id} already ${run.status}` };
  if (opts.stopReason() === 'cancel' || (await isCancelFlagSet(opts.redis, opts.prefix, run.id)))
    return { status: 'skipped', reason: `run ${run.id} cancelled` };
  let ctx;
  try {
    ctx = queuedTrainContext({
      run,
      specFile: payload.specFile,
      options: payload.options,
      store,
      meta,
      fence,
      shouldStop: () => opts.stopReason() !== null,
      logPrefix: `trial ${payload.trial + 1}: `,
    });
  } catch (e) {
    throw toJobError(e, false);
  }
  const tune = ctx.spec.tune;
  const params = tune ? planTrials(tune)[payload.trial] : undefined;
  if (!tune || !params)
    throw toJobError(
      new MyelinError('MYELIN_ERR_QUEUE_PAYLOAD', `run ${run.id} has no tune trial ${payload.trial}`, {
        path: 'trial',
      }),
      false,
    );
  const { metric } = tuneObjective(tune, input(ctx, 'preprocess', 'task'));
  const asha = tuneAsha(tune, ctx.spec.train.epochs);
  const board = asha
    ? new RedisRungBoard({ redis: opts.redis, prefix: opts.prefix, runId: run.id, ...asha })
    : null;
  const cpu = ctx.spec.train.resources?.cpu;
  const record = await runTrial(ctx, {
    index: payload.trial,
    params,
    metric,
    board,
    ...(cpu !== undefined ? { threads: cpu } : {}),
  });
  if (record.status === 'cancelled' && opts.stopReason() === 'shutdown') {
    ctx.log('worker shutting down: the trial goes back to the queue and resumes from its checkpoint');
    return { status: 'requeue' };
  }
  return { status: 'done', record };
}
