import type { ExecutionRequest, ExecutionResult, Executor, StepRecord } from './executor.js';
import type { StepName } from '../plan/compile-plan.js';
import type { StepOutputs } from '../run/step-context.js';
import { runStep } from '../run/run-step.js';

/** The embedded default executor: runs the plan's steps in order, in this process. */
export class LocalExecutor implements Executor {
  readonly name = 'local';

  async execute(req: ExecutionRequest): Promise<ExecutionResult> {
    const outputs: Partial<Record<StepName, StepOutputs>> = {};
    const steps: StepRecord[] = [];
    let error: unknown;
    for (const step of req.plan.steps) {
      if (error !== undefined) {
        steps.push({ name: step.name, status: 'skipped', durationMs: 0 });
        await req.meta.finishStep(req.runId, step.name, { status: 'skipped' }).catch(() => undefined);
        continue;
      }
      const inputs = Object.fromEntries(step.needs.map((n) => [n, outputs[n]])) as Partial<
        Record<StepName, StepOutputs>
      >;
      const rec = await runStep(req, step, inputs);
      steps.push(rec);
      if (rec.outputs) outputs[step.name] = rec.outputs;
      if (rec.status === 'failed') error = rec.error;
    }
    return { steps, outputs, ...(error !== undefined ? { error } : {}) };
  }
}
