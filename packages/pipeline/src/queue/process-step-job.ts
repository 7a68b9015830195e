import { isMyelinError, MyelinError } from '@myelin/errors';
import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import { parseSpecCached } from './parsed-spec-cache.js';
import { compilePlan, type StepName } from '../plan/compile-plan.js';
import { codeVersion } from '../run/code-version.js';
import { runStep } from '../run/run-step.js';
import type { RunEvent, StepOutputs } from '../run/step-context.js';
import type { StepDefinition } from '../steps/step-definition.js';
import { finishQueuedRun, isFinalRunStatus } from './finish-queued-run.js';
import { toJobError } from './job-error.js';
import { parseStepJobPayload } from './step-job-payload.js';
import type { Fence } from './fence.js';
import { fencedStores } from './fenced-stores.js';

/** The parts of a BullMQ job (in-process or sandboxed) a step job uses. */
export interface StepJob {
  id?: string | undefined;
  data: unknown;
  updateProgress(progress: object): Promise<void>;
}

/** Why a running step was asked to stop: the run was cancelled, or this worker shuts down. */
export type StopReason = 'cancel' | 'shutdown';

/** What `processStepJob` needs besides the job. */
export interface ProcessStepJobOptions {
  store: ArtifactStore;
  meta: MetadataStore;
  /** The reason to stop now, checked at safe points (epoch boundaries); null: keep going. */
  stopReason: () => StopReason | null;
  /** The device this job got, e.g. `gpu:1`; logged on the step. @defaultValue undefined (CPU) */
  device?: string;
  /** Step implementations. @defaultValue STEPS */
  steps?: Partial<Record<StepName, StepDefinition>>;
  /**
   * The job's lock check (`jobLockFence`): every write of the step — its records, epochs, events,
   * logs, artifact refs such as checkpoints, a registered version — passes it first, so once the
   * lock is lost nothing more is written. @defaultValue always open (tests without a lock)
   */
  fence?: Fence;
}

/** How a step job ended when it did not throw. */
export type StepJobResult =
  | { status: 'succeeded' | 'cached'; outputs: StepOutputs }
  /** The run had already ended (cancelled, failed elsewhere): nothing was run. */
  | { status: 'skipped'; reason: string }
  /** The worker is shutting down: the step stopped at a safe point (with a checkpoint); requeue it. */
  | { status: 'requeue' };

/**
 * Runs one step job of a queued run on a worker: checks the payload, loads the spec from the run
 * record, gathers the step's inputs from the earlier steps' outputs in the metadata store, and runs
 * the shared `runStep` (so the records are those of the in-process path). Epoch events go to
 * `job.updateProgress`. A failure throws (BullMQ retries it per the step's policy; the worker ends
 * the run when the last attempt failed); the last step of a run ends the run as succeeded with its
 * summary. A step already recorded as done (a job that ran but whose completion was lost) returns
 * its recorded outputs instead of running again, so a model is never registered twice. With a
 * `fence`, every write passes the job's lock check first (a stale job writes nothing).
 */
export async function processStepJob(job: StepJob, opts: ProcessStepJobOptions): Promise<StepJobResult> {
  let payload;
  try {
    payload = parseStepJobPayload(job.data);
  } catch (e) {
    throw toJobError(e);
  }
  const { fence, meta, store } = fencedStores(opts);
  const run = await meta.getRun(payload.runId);
  if (!run)
    throw toJobError(
      new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `run ${payload.runId} is not in the metadata store`),
    );
  if (isFinalRunStatus(run.status))
    return { status: 'skipped', reason: `run ${run.id} already ${run.status}` };
  const loaded = parseSpecCached(run.specText, payload.specFile);
  if (loaded.hash !== run.specHash)
    throw toJobError(
      new MyelinError(
        'MYELIN_ERR_QUEUE_PAYLOAD',
        `the spec of run ${run.id} does not match its recorded hash`,
      ),
    );
  const plan = compilePlan(loaded.spec);
  const step = plan.steps.find((s) => s.name === payload.step)!;
  const isLast = plan.steps.at(-1)?.name === step.name;

  const recorded = run.steps.find((s) => s.name === step.name);
  if (recorded && (recorded.status === 'succeeded' || recorded.status === 'cached') && recorded.outputs) {
    if (isLast) await finishQueuedRun(meta, run.id, { kind: 'succeeded' }, run);
    return { status: recorded.status, outputs: recorded.outputs };
  }
  if (opts.stopReason() === 'cancel') {
    const error = new MyelinError('MYELIN_ERR_RUN_CANCELLED', `run cancelled before step ${step.name}`);
    // as the in-process executor records it: this step and the rest skipped, the run cancelled
    await finishQueuedRun(meta, run.id, {
      kind: 'failed',
      step: null,
      error: { code: error.code, message: error.message },
    });
    return { status: 'skipped', reason: error.message };
  }
  const inputs: Partial<Record<StepName, StepOutputs>> = {};
  for (const need of step.needs) {
    const rec = run.steps.find((s) => s.name === need);
    if (!rec?.outputs || (rec.status !== 'succeeded' && rec.status !== 'cached'))
      throw toJobError(
        new MyelinError(
          'MYELIN_ERR_INTERNAL',
          `step ${step.name} needs the outputs of ${need}, which has none (status ${rec?.status ?? 'absent'})`,
        ),
      );
    inputs[need] = rec.outputs;
  }
  if (run.status === 'queued') await meta.updateRun(run.id, { status: 'running' });
  if (opts.device)
    await meta
      .appendStepLog(run.id, step.name, `${new Date().toISOString()} running on ${opts.device}\n`)
      .catch(() => undefined);

  const onEvent = (event: RunEvent): void => {
    if (event.type === 'epoch')
      void job
        .updateProgress({
          step: event.step,
          epoch: event.epoch,
          epochs: event.epochs,
          metrics: event.metrics,
          durationMs: event.durationMs,
          ...(opts.device ? { device: opts.device } : {}),
        })
        .catch(() => undefined);
  };
  const rec = await runStep(
    {
      runId: run.id,
      plan,
      loaded,
      store,
      meta,
      fence,
      options: payload.options,
      codeVersion: codeVersion(),
      onEvent,
      shouldStop: () => opts.stopReason() !== null,
      ...(opts.steps ? { steps: opts.steps } : {}),
    },
    step,
    inputs,
  );
  if (rec.status === 'failed') {
    const stopped = isMyelinError(rec.error) && rec.error.code === 'MYELIN_ERR_RUN_CANCELLED';
    if (stopped && opts.stopReason() === 'shutdown') {
      await meta
        .appendStepLog(
          run.id,
          step.name,
          `${new Date().toISOString()} worker shutting down: the step goes back to the queue and resumes from its checkpoint\n`,
        )
        .catch(() => undefined);
      return { status: 'requeue' };
    }
    throw toJobError(rec.error);
  }
  if (isLast) await finishQueuedRun(meta, run.id, { kind: 'succeeded' });
  return { status: rec.status === 'cached' ? 'cached' : 'succeeded', outputs: rec.outputs ?? {} };
}
