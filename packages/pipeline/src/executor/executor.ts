import type { LoadedSpec } from '@myelin/spec';
import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import type { Plan, StepName } from '../plan/compile-plan.js';
import type { RunEvent, StepOptions, StepOutputs } from '../run/step-context.js';
import type { StepDefinition } from '../steps/step-definition.js';
import type { Fence } from '../queue/fence.js';

/** What an executor needs to run one pipeline run's plan. */
export interface ExecutionRequest {
  runId: string;
  plan: Plan;
  loaded: LoadedSpec;
  store: ArtifactStore;
  meta: MetadataStore;
  options: StepOptions;
  codeVersion: { version: string; commit?: string };
  onEvent: (event: RunEvent) => void;
  shouldStop: () => boolean;
  /**
   * Step implementations by name, for an executor that runs steps in this process (LocalExecutor).
   * A queue executor's steps are its workers' (given to `startWorker`); it ignores this field.
   * @defaultValue STEPS (tests and benchmarks swap in no-op steps)
   */
  steps?: Partial<Record<StepName, StepDefinition>>;
  /**
   * Passed before the step's lasting writes (`StepContext.fence`); a queue worker gives its job's
   * lock check, so a stale job writes nothing. @defaultValue always open (in-process)
   */
  fence?: Fence;
  /**
   * Called once the executor has taken the run (in-process: at once; the queue: once the jobs are
   * in Redis). `submitRun` waits for it, so a queue that cannot take work is refused at submission.
   */
  onAccepted?: () => void;
}

export interface StepRecord {
  name: StepName;
  status: 'succeeded' | 'failed' | 'cached' | 'skipped';
  durationMs: number;
  outputs?: StepOutputs;
  error?: unknown;
}

export interface ExecutionResult {
  steps: StepRecord[];
  /** Outputs of every step that produced some. */
  outputs: Partial<Record<StepName, StepOutputs>>;
  /** The error that stopped the run, if any. */
  error?: unknown;
  /**
   * True when the run's final record — status, error and the summary `buildRunSummary` makes of
   * this result — is already in the metadata store, written by whatever ended the run (on the queue:
   * `finishQueuedRun`, in the worker that ran its last step): `runPipeline` then does not write it
   * again. @defaultValue false (the in-process executor leaves the final record to `runPipeline`)
   */
  recorded?: boolean;
}

/**
 * The Executor port: runs a plan's steps, marking the run `running` when its first step starts
 * (a queued run stays `queued` until a worker takes it). The embedded default runs them in-process
 * (LocalExecutor); the production adapter dispatches them to queue workers. Both run the same
 * step code and write the same records.
 */
export interface Executor {
  readonly name: string;
  execute(request: ExecutionRequest): Promise<ExecutionResult>;
  /**
   * Asks a run to stop: steps not started are skipped, a training step stops at its next epoch
   * boundary (keeping a checkpoint). Resolves true when the executor knew the run.
   */
  cancel(runId: string): Promise<boolean>;
  /**
   * Checks that the executor can take work now (its queue answers); absent when it always can.
   * Throws `MYELIN_ERR_STACK_UNREACHABLE` otherwise.
   */
  ping?(): Promise<void>;
  /** Where it runs steps, for logs (e.g. `BullMQ queues on redis://host:6379 (prefix myelin)`). */
  describe?(): string;
  /** Lets go of its connections; absent when it holds none. */
  close?(): Promise<void>;
}
