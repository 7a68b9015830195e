import type { Redis } from 'ioredis';
import type { QueueName, RunReconcilerOptions } from '@myelin/pipeline';
import type { StepJobDeps } from '../handle-step-job.js';

/** A job of a consumed queue, as the worker's events report it. */
export interface ConsumedJob {
  id: string | undefined;
  /** The job's name: its step, or the tune trial job name. */
  name: string;
  /** The run and step named in the job's data. */
  runId: string;
  step: string;
  /** The number of this attempt (1 for the first). */
  attempt: number;
  /** Attempts that ended so far. */
  attemptsMade: number;
  /** Attempts the job may use. */
  maxAttempts: number;
}

/** Why a job failed, as the worker's `failed` event reports it. */
export interface JobFailure {
  error: Error;
  /** The process that ran the job's step exited (a sandbox child crashed or was killed). */
  crashed: boolean;
  /** Whether the job failed for good (no attempt left, or not retryable): false when it runs again. */
  isFinal(): Promise<boolean>;
}

/** What a consumer tells its worker. Every listener is called without awaiting it. */
export interface ConsumerEvents {
  active(job: ConsumedJob): void;
  progress(job: ConsumedJob, progress: unknown): void;
  /** The job's processor returned `result` after `seconds`, when its start and end are known. */
  completed(job: ConsumedJob, result: { status?: string } | undefined, seconds: number | undefined): void;
  failed(job: ConsumedJob, failure: JobFailure): void;
  /** The locks of these jobs were renewed: their worker still holds them. */
  locksRenewed(jobIds: string[]): void;
  error(error: Error): void;
}

/** How a consumer runs its jobs' processor. */
export type JobProcessing =
  | {
      /** In a child process per job with this environment (a crash ends only the child). */
      kind: 'sandboxed';
      env: NodeJS.ProcessEnv;
    }
  | {
      /** In this process, with these dependencies (benchmarks and tests). */
      kind: 'in-process';
      deps: StepJobDeps;
    };

/** What one queue's consumer is opened with. */
export interface ConsumerOptions {
  queue: QueueName;
  /** Jobs processed at once. */
  concurrency: number;
  /** Name stored on the jobs it processes. */
  workerName: string;
  processing: JobProcessing;
  /** Job lock duration, renewed every half of it. */
  lockDurationMs: number;
  /** How often it looks for jobs whose worker died. */
  stalledIntervalMs: number;
  /** How often a job may be recovered from a dead worker before it fails. */
  maxStalledCount: number;
}

/** One queue's consumer. */
export interface QueueConsumer {
  /** Resolves once it is connected and taking jobs. */
  ready(): Promise<void>;
  /** Takes no new jobs, asks the running ones to stop (`shutdown`), and resolves when they ended. */
  close(): Promise<void>;
}

/** A run reconciler this worker takes part in (one process leads). */
export interface WorkerReconciler {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The worker side of the executor port: consumes the queues the submit side's executor fills,
 * and holds the store the processors keep their run state in (cancel flags, job locks, rung
 * boards). Its flavors are listed in `WORKER_EXECUTOR_FLAVORS`; a worker sees only this interface.
 */
export interface WorkerExecutor {
  /** The queues' Redis: the processors' run cancel flags, job lock fences and tune rung boards. */
  readonly redis: Redis;
  /** The stack's queue key prefix. */
  readonly prefix: string;
  /** The queue's name as it stands in logs and metrics (`myelin-cpu`). */
  queueName(queue: QueueName): string;
  /** Starts consuming `opts.queue`. */
  consume(opts: ConsumerOptions, events: ConsumerEvents): QueueConsumer;
  /** The queue's job counts by state, for the worker's metrics. */
  jobCounts(queue: QueueName): Promise<Record<string, number>>;
  /** A reconciler of runs whose jobs the queue lost. */
  reconciler(opts: Omit<RunReconcilerOptions, 'url' | 'prefix' | 'meta'>): WorkerReconciler;
  /** Where it consumes, for the worker's ready line (credentials masked). */
  describe(): string;
  /** Closes its own connections (close the consumers first). */
  close(): Promise<void>;
}
