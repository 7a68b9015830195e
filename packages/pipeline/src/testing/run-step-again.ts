import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import type { StepRecord } from '../executor/executor.js';
import type { LoadedSpec } from '@myelin/spec';
import { compilePlan, type StepName } from '../plan/compile-plan.js';
import { codeVersion } from '../run/code-version.js';
import { runStep } from '../run/run-step.js';
import type { RunEvent, StepOutputs } from '../run/step-context.js';

/**
 * Runs one step of a recorded run again in this process, as a retried queue job does: the same
 * run id, the recorded outputs of the steps before it as inputs, the cache off. For tests of
 * resume (a checkpoint picked up, finished trials read back).
 *
 * @example const rec = await runStepAgain(stack, loaded, runId, 'train', (e) => seen.push(e));
 */
export async function runStepAgain(
  stack: { store: ArtifactStore; meta: MetadataStore },
  loaded: LoadedSpec,
  runId: string,
  step: StepName,
  onEvent: (event: RunEvent) => void,
): Promise<StepRecord> {
  const run = await stack.meta.getRun(runId);
  const plan = compilePlan(loaded.spec);
  const inputs: Partial<Record<StepName, StepOutputs>> = {};
  for (const { name } of plan.steps) {
    const outputs = run?.steps.find((s) => s.name === name)?.outputs;
    if (outputs) inputs[name] = outputs;
  }
  return runStep(
    {
      runId,
      plan,
      loaded,
      store: stack.store,
      meta: stack.meta,
      options: { allowOutside: false, noCache: true },
      codeVersion: codeVersion(),
      onEvent,
      shouldStop: () => false,
    },
    plan.steps.find((s) => s.name === step)!,
    inputs,
  );
}
