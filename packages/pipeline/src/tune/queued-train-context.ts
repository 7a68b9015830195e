import type { ArtifactStore } from '@myelin/artifacts';
import { MyelinError } from '@myelin/errors';
import type { MetadataStore, RunWithSteps } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { compilePlan, type StepName } from '../plan/compile-plan.js';
import { codeVersion } from '../run/code-version.js';
import type { StepContext, StepOptions, StepOutputs } from '../run/step-context.js';
import type { Fence } from '../queue/fence.js';

/** What a queue job of a run's train step (its tune parent stage, or one trial) works with. */
export interface QueuedTrainContextOptions {
  run: RunWithSteps;
  specFile: string;
  options: StepOptions;
  /** Fenced by the job's lock. */
  store: ArtifactStore;
  meta: MetadataStore;
  fence: Fence;
  shouldStop(): boolean;
  /** Put before each log line (`trial 3: `). @defaultValue '' */
  logPrefix?: string;
}

/**
 * The train step's context for work done outside `runStep` on a queue worker: the run's recorded
 * spec (checked against its hash), the train step's inputs from the earlier steps' recorded
 * outputs, log lines to the train step's log and events. Trial jobs train and measure through it.
 *
 * @throws MyelinError MYELIN_ERR_QUEUE_PAYLOAD when the spec does not match its hash;
 *   MYELIN_ERR_INTERNAL when an input step has no outputs
 */
export function queuedTrainContext(o: QueuedTrainContextOptions): StepContext {
  const { run, meta } = o;
  const loaded = parseSpec(run.specText, o.specFile);
  if (loaded.hash !== run.specHash)
    throw new MyelinError(
      'MYELIN_ERR_QUEUE_PAYLOAD',
      `the spec of run ${run.id} does not match its recorded hash`,
    );
  const step = compilePlan(loaded.spec).steps.find((s) => s.name === 'train')!;
  const inputs: Partial<Record<StepName, StepOutputs>> = {};
  for (const need of step.needs) {
    const rec = run.steps.find((s) => s.name === need);
    if (!rec?.outputs || (rec.status !== 'succeeded' && rec.status !== 'cached'))
      throw new MyelinError(
        'MYELIN_ERR_INTERNAL',
        `step train needs the outputs of ${need}, which has none (status ${rec?.status ?? 'absent'})`,
      );
    inputs[need] = rec.outputs;
  }
  const prefix = o.logPrefix ?? '';
  return {
    runId: run.id,
    step: 'train',
    loaded,
    spec: loaded.spec,
    store: o.store,
    meta,
    inputs,
    options: o.options,
    codeVersion: codeVersion(),
    emit: (event) => void meta.appendEvent(run.id, event.type, event).catch(() => undefined),
    log(message, opts) {
      const line = `${prefix}${message}`;
      void meta
        .appendEvent(run.id, 'log', {
          type: 'log',
          step: 'train',
          message: line,
          ...(opts?.notice ? { notice: true } : {}),
        })
        .catch(() => undefined);
      void meta
        .appendStepLog(run.id, 'train', `${new Date().toISOString()} ${line}\n`)
        .catch(() => undefined);
    },
    shouldStop: () => o.shouldStop(),
    fence: o.fence,
  };
}
