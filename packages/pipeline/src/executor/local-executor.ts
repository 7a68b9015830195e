import { MyelinError } from '@myelin/errors';
import type { ExecutionRequest, ExecutionResult, Executor, StepRecord } from './executor.js';
import type { StepName } from '../plan/compile-plan.js';
import type { StepOutputs } from '../run/step-context.js';

/** The embedded default executor: runs the plan's steps in order, in this process. */
export class LocalExecutor implements Executor {
  readonly name = 'local';

  describe(): string {
    return 'in-process executor';
  }
  private readonly active = new Set<string>();
  private readonly cancelled = new Set<string>();

  async cancel(runId: string): Promise<boolean> {
    if (!this.active.has(runId)) return false;
    this.cancelled.add(runId);
    return true;
  }

  async execute(request: ExecutionRequest): Promise<ExecutionResult> {
    const { runId } = request;
    this.active.add(runId);
    request.onAccepted?.();
    await request.meta.updateRun(runId, { status: 'running' });
    const req: ExecutionRequest = {
      ...request,
      shouldStop: () => this.cancelled.has(runId) || request.shouldStop(),
    };
    try {
      return await this.executeSteps(req);
    } finally {
      this.active.delete(runId);
      this.cancelled.delete(runId);
    }
  }

  private async executeSteps(req: ExecutionRequest): Promise<ExecutionResult> {
    // the steps (and through them the engines) load with the first run, not with the stack:
    // a command that opens the embedded stack to read it never loads them
    const { runStep } = await import('../run/run-step.js');
    const outputs: Partial<Record<StepName, StepOutputs>> = {};
    const steps: StepRecord[] = [];
    let error: unknown;
    for (const step of req.plan.steps) {
      if (error !== undefined) {
        steps.push({ name: step.name, status: 'skipped', durationMs: 0 });
        await req.meta.finishStep(req.runId, step.name, { status: 'skipped' }).catch(() => undefined);
        continue;
      }
      if (req.shouldStop()) {
        error = new MyelinError('MYELIN_ERR_RUN_CANCELLED', `run cancelled before step ${step.name}`);
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
