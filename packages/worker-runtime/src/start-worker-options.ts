import type { ProcessStepJobOptions, RunReconcilerOptions, StackConfig } from '@myelin/pipeline';

/** Options of `startWorker`. */
export interface StartWorkerOptions {
  /** The queues to consume: `cpu` (`myelin-cpu`) and/or `gpu` (`myelin-gpu`). */
  queues: ('cpu' | 'gpu')[];
  /** Step jobs run at once from the cpu queue. @defaultValue 1 */
  concurrency: number;
  /** GPUs for the gpu queue: at most one training job per GPU at a time. 0 with `gpu` in queues is an error. */
  gpus: number;
  /** Port of the Prometheus `/metrics` endpoint (0: any free port). @defaultValue undefined (no endpoint) */
  metricsPort?: number;
  /** The stack to work for. @defaultValue loaded from myelin.stack.yaml and MYELIN_* env (Redis required) */
  stack?: StackConfig;
  /**
   * Intra-op threads of each cpu-queue job's training engine (`MYELIN_THREADS` in its sandbox);
   * jobs on the gpu queue compute on their GPU and get 1. Sized so that the jobs running at once
   * never ask for more threads than the machine has cores: oversubscribed thread pools train
   * several times slower. `MYELIN_THREADS` in the worker's own environment wins.
   * @defaultValue max(1, floor(cores / concurrency))
   */
  threads?: number;
  /** Run each step in a sandboxed child process (training cannot stall lock renewal; a crash kills only the job). @defaultValue true */
  sandbox?: boolean;
  /** Job lock duration; renewed every half of it by the worker's (never blocked) event loop. @defaultValue 60000 */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died (their lock expired). @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** How often a job may be recovered from a dead worker before it fails. @defaultValue 2 */
  maxStalledCount?: number;
  /** Name stored on the jobs it processes. @defaultValue `<hostname>:<pid>` */
  name?: string;
  /** Where progress lines go. @defaultValue one line per event on stdout */
  log?: (line: string) => void;
  /** Step implementations (only without sandbox: benchmarks and tests). @defaultValue STEPS */
  steps?: ProcessStepJobOptions['steps'];
  /**
   * The run reconciler this worker takes part in (one process leads, see `RunReconciler`): runs
   * whose jobs Redis lost are re-enqueued from their last finished step, or failed saying why.
   * `false`: this worker never reconciles. @defaultValue {} (interval 10 s; a step without
   * heartbeat counts as held for twice the lock duration after its start)
   */
  reconcile?:
    false | Pick<RunReconcilerOptions, 'intervalMs' | 'submitGraceMs' | 'startGraceMs' | 'maxRequeues'>;
}
