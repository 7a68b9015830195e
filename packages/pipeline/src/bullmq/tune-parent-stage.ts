import { Queue, UnrecoverableError } from 'bullmq';
import { MyelinError } from '@myelin/errors';
import { isFinalRunStatus } from '../queue/finish-queued-run.js';
import { isCancelFlagSet } from '../queue/run-cancel-flag.js';
import type { StepJob } from '../queue/process-step-job.js';
import { parseStepJobPayload } from '../queue/step-job-payload.js';
import { stepRetry } from '../queue/step-retry.js';
import { readStepCache, stepCacheKey } from '../executor/step-cache.js';
import { trainStep } from '../steps/train-step.js';
import { parseRecorded, trialRecordSchema } from '../steps/step-output-schemas.js';
import { collectedTrials } from '../tune/collected-trials.js';
import { planTrials } from '../tune/plan-trials.js';
import { queuedTrainContext } from '../tune/queued-train-context.js';
import { TRIAL_JOB_NAME, trialJobId, type TrialJobPayload } from '../tune/trial-job-payload.js';
import type { TrialRecord } from '../tune/trial-record.js';
import type { TrialRunner } from '../tune/trial-runner.js';
import type { RunTrialJobOptions } from '../tune/run-trial-job.js';
import { fencedStores } from '../queue/fenced-stores.js';

const WEEK_S = 7 * 24 * 3600;

/** The parts of a BullMQ train job (in-process or sandboxed) the tune parent stage uses. */
export interface TuneParentJob extends StepJob {
  name: string;
  /** The job's queue with its prefix (`myelin:myelin-cpu`): the trial jobs go on the same queue. */
  queueQualifiedName: string;
  moveToWaitingChildren(token?: string): Promise<boolean>;
  getChildrenValues(): Promise<Record<string, unknown> | undefined>;
  getIgnoredChildrenFailures(): Promise<Record<string, string> | undefined>;
}

/** What the tune parent stage needs besides the job: what its trial jobs need (it adds them with the same Redis and prefix). */
export type TuneParentOptions = RunTrialJobOptions;

/**
 * What the worker does with a train job: run it as a step (`trials` set: with the records its
 * trial jobs returned; unset: as usual, e.g. no `tune:` section, already done, cached, cancelled),
 * or leave it waiting for its trial jobs (`waiting`: the worker frees its slot: `JobWaitsForChildren`).
 */
export type TuneParentVerdict = { kind: 'step'; trials?: TrialRunner } | { kind: 'waiting' };

/**
 * The first half of a tune step on a BullMQ worker. On its first pass the train job adds one child
 * job per trial (`parent: {id, queue}`, on its own queue, so `resources.gpu` trials go to GPU
 * workers) and moves itself to `waiting-children` (`moveToWaitingChildren`): the worker's slot is
 * free at once, so even one worker with concurrency 1 runs every trial and never deadlocks. BullMQ
 * moves it back to the queue when its last trial job finishes; on that pass the records come from
 * `getChildrenValues()` (and `getIgnoredChildrenFailures()`: a trial job that failed for good is
 * a failed trial, never a failed parent) and the step runs `runTune` over them. A train step
 * already served by the step cache or recorded done enqueues no trials. A run cancelled while its
 * trials run (they stop at their next epoch; those not started are dropped) fails the step with
 * `MYELIN_ERR_RUN_CANCELLED` once they all ended.
 */
export async function tuneParentStage(
  job: TuneParentJob,
  token: string | undefined,
  opts: TuneParentOptions,
): Promise<TuneParentVerdict> {
  if (job.name !== 'train') return { kind: 'step' };
  let payload;
  try {
    payload = parseStepJobPayload(job.data);
  } catch {
    return { kind: 'step' }; // the step job says what is wrong with it
  }
  const run = await opts.meta.getRun(payload.runId);
  if (!run || isFinalRunStatus(run.status)) return { kind: 'step' };
  const recorded = run.steps.find((s) => s.name === 'train');
  if (recorded?.status === 'succeeded' || recorded?.status === 'cached') return { kind: 'step' };
  const { fence, meta, store } = fencedStores(opts);
  const ctx = queuedTrainContext({
    run,
    specFile: payload.specFile,
    options: payload.options,
    store,
    meta,
    fence,
    shouldStop: () => opts.stopReason() !== null,
  });
  const tune = ctx.spec.tune;
  if (!tune) return { kind: 'step' };

  const queueName = job.queueQualifiedName.slice(opts.prefix.length + 1);
  const queue = new Queue(queueName, { connection: opts.redis, prefix: opts.prefix });
  queue.on('error', () => undefined);
  const cancelled = async () =>
    opts.stopReason() === 'cancel' || (await isCancelFlagSet(opts.redis, opts.prefix, run.id));
  try {
    // the first pass enqueues the trials; a pass after them (or after a crash between the two) finds them
    if (!(await queue.getJob(trialJobId(run.id, 0)))) {
      // cancelled before its trials: processStepJob ends the run as it does for any step
      if (await cancelled()) return { kind: 'step' };
      if (!payload.options.noCache) {
        const parts = await trainStep.cacheKey(ctx);
        const key = stepCacheKey(
          'train',
          ctx.codeVersion.version + (ctx.codeVersion.commit ?? ''),
          parts,
          ctx.inputs,
        );
        // runStep serves it from the cache: no trial to run
        if (await readStepCache(store, 'train', key)) return { kind: 'step' };
      }
      const plan = planTrials(tune);
      await fence();
      await queue.addBulk(
        plan.map((_, trial) => {
          const data: TrialJobPayload = {
            v: 1,
            runId: run.id,
            step: 'train',
            trial,
            specFile: payload.specFile,
            options: payload.options,
          };
          return {
            name: TRIAL_JOB_NAME,
            data,
            opts: {
              jobId: trialJobId(run.id, trial),
              parent: { id: job.id!, queue: job.queueQualifiedName },
              ...stepRetry(ctx.spec, 'train'),
              ignoreDependencyOnFailure: true,
              removeOnComplete: { age: WEEK_S },
              removeOnFail: { age: WEEK_S },
            },
          };
        }),
      );
      await meta.startStep(run.id, 'train');
      ctx.log(
        `tune: ${plan.length} trials enqueued as jobs on ${queueName}; this step waits for them without holding a worker`,
        { notice: true },
      );
    }
  } finally {
    await queue.close();
  }
  if (await job.moveToWaitingChildren(token)) return { kind: 'waiting' };

  const returned = new Map<number, TrialRecord>();
  for (const value of Object.values((await job.getChildrenValues()) ?? {})) {
    // a trial job's return value, as BullMQ kept it (JSON in Redis): a finished trial's record
    // counts, checked; a skipped or requeued trial's value has no record
    if (typeof value !== 'object' || value === null || !('status' in value) || value.status !== 'done')
      continue;
    const record = parseRecorded(
      trialRecordSchema,
      'record' in value ? value.record : undefined,
      'a trial job result',
    );
    returned.set(record.index, record);
  }
  const lost = new Map<number, string>();
  for (const [key, why] of Object.entries((await job.getIgnoredChildrenFailures()) ?? {})) {
    const id = key.slice(key.lastIndexOf(':') + 1);
    const trial = Number(id.slice(id.lastIndexOf('-') + 1));
    if (Number.isInteger(trial)) lost.set(trial, why);
  }
  if (await cancelled()) {
    // the trials stopped at their next epoch or were dropped before they started: the step fails
    // as a cancelled step does, and the worker ends the run (nothing is registered)
    const done = [...returned.values()].filter((r) => r.status !== 'cancelled').length;
    const error = new MyelinError(
      'MYELIN_ERR_RUN_CANCELLED',
      `tuning stopped on request after ${done} of ${planTrials(tune).length} trials; nothing is registered`,
      { path: 'tune' },
    );
    await meta.finishStep(run.id, 'train', {
      status: 'failed',
      error: { code: error.code, message: error.message },
    });
    throw Object.assign(new UnrecoverableError(error.message), { myelinCode: error.code });
  }
  return { kind: 'step', trials: collectedTrials(returned, lost) };
}
