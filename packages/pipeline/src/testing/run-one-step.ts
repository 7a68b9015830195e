import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import type { LoadedSpec } from '@myelin/spec';
import type { StepRecord } from '../executor/executor.js';
import { compilePlan, type StepName } from '../plan/compile-plan.js';
import { codeVersion } from '../run/code-version.js';
import { runStep } from '../run/run-step.js';
import type { RunEvent, StepOutputs } from '../run/step-context.js';

/** A stack's stores, as the step tests open them. */
export interface TestStores {
  store: ArtifactStore;
  meta: MetadataStore;
}

/** How `runOneStep` runs its step. */
export interface RunOneStepOptions {
  /** The earlier steps' outputs. @defaultValue none */
  inputs?: Partial<Record<StepName, StepOutputs>>;
  /** Skip the step cache. @defaultValue false */
  noCache?: boolean;
  /** @defaultValue ignore the events */
  onEvent?: (event: RunEvent) => void;
}

/**
 * Runs one step of the run `runId` of `loaded` in this process, through the shared `runStep` (the
 * records every executor writes), with data paths confined to the pipeline's folder. For tests of
 * one step.
 *
 * @example const rec = await runOneStep(stack, loaded, runId, 'ingest', { noCache: true });
 */
export async function runOneStep(
  stack: TestStores,
  loaded: LoadedSpec,
  runId: string,
  step: StepName,
  opts: RunOneStepOptions = {},
): Promise<StepRecord> {
  const plan = compilePlan(loaded.spec);
  return runStep(
    {
      runId,
      plan,
      loaded,
      store: stack.store,
      meta: stack.meta,
      options: { allowOutside: false, noCache: opts.noCache ?? false },
      codeVersion: codeVersion(),
      onEvent: opts.onEvent ?? (() => undefined),
      shouldStop: () => false,
    },
    plan.steps.find((s) => s.name === step)!,
    opts.inputs ?? {},
  );
}

/**
 * Runs one step of a recorded run again, as a retried queue job does: the same run id, the
 * recorded outputs of the steps before it as inputs, the cache off. For tests of resume (a
 * checkpoint picked up, finished trials read back).
 *
 * @example const rec = await runStepAgain(stack, loaded, runId, 'train', (e) => seen.push(e));
 */
export async function runStepAgain(
  stack: TestStores,
  loaded: LoadedSpec,
  runId: string,
  step: StepName,
  onEvent: (event: RunEvent) => void,
): Promise<StepRecord> {
  const run = await stack.meta.getRun(runId);
  const inputs: Partial<Record<StepName, StepOutputs>> = {};
  for (const { name } of compilePlan(loaded.spec).steps) {
    const outputs = run?.steps.find((s) => s.name === name)?.outputs;
    if (outputs) inputs[name] = outputs;
  }
  return runOneStep(stack, loaded, runId, step, { inputs, noCache: true, onEvent });
}
