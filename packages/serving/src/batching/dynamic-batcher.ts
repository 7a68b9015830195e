import { MyelinError } from '@myelin/errors';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { ResolvedBatchingOptions } from './batching-options.js';

/**
 * Runs the model on `n` row-major rows and returns `n × outputWidth` values, at once or (a model
 * run off the main thread) as a promise; the batcher starts no other call until it settles.
 */
export type PredictFn = (x: Float32Array, n: number) => Float32Array | Promise<Float32Array>;

interface Job {
  x: Float32Array;
  n: number;
  resolve: (y: Float32Array) => void;
  reject: (e: unknown) => void;
  /** When the job is dropped if still queued (clock ms; Infinity: never), after `timeoutMs`. */
  deadline: number;
  timeoutMs: number;
  done: boolean;
}

/** What the batcher reports after each `predict` call. */
export interface BatchReport {
  rows: number;
  requests: number;
  ms: number;
}

/**
 * Merges the requests of ONE model version into `predict` calls of up to `maxBatchSize` rows,
 * waiting at most `batchTimeoutMs` for a batch to fill, and splits the outputs back per request.
 * One batcher per loaded version, so a batch never mixes versions.
 *
 * A full batch runs at once; a partial one when its timer fires. A request that would make more
 * than `maxQueuedRows` rows wait is refused (MYELIN_ERR_SERVING_OVERLOADED); one still queued when
 * its `timeoutMs` passes is dropped (MYELIN_ERR_SERVING_TIMEOUT).
 *
 * @example
 * const b = new DynamicBatcher((x, n) => predictBatches(model, x, n, d, 64), d, k, resolveBatching(), systemClock);
 * const y = await b.submit(row, 1);
 */
export class DynamicBatcher {
  private queue: Job[] = [];
  private queued = 0;
  private timer: TimerHandle | undefined;
  /** The timer that drops jobs queued past their deadline, and when it fires (Infinity: none). */
  private sweepTimer: TimerHandle | undefined;
  private sweepAt = Infinity;
  /** Model calls under way (more than one only with batching off, each request its own call). */
  private active = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** Called after every `predict` call (metrics). */
  onBatch: ((report: BatchReport) => void) | undefined;

  constructor(
    private readonly predict: PredictFn,
    private readonly inputWidth: number,
    private readonly outputWidth: number,
    private readonly opts: ResolvedBatchingOptions,
    private readonly clock: Clock,
  ) {}

  private get running(): boolean {
    return this.active > 0;
  }

  /** Rows waiting for a batch. */
  get queuedRows(): number {
    return this.queued;
  }

  /**
   * Queues `n` rows (row-major, `n × inputWidth`) and resolves with their `n × outputWidth`
   * outputs. `timeoutMs` (0: none) bounds the wait in the queue.
   */
  submit(x: Float32Array, n: number, timeoutMs = 0): Promise<Float32Array> {
    if (this.closed)
      return Promise.reject(
        new MyelinError('MYELIN_ERR_SERVING_NOT_READY', 'this model version is unloading'),
      );
    if (x.length !== n * this.inputWidth) {
      return Promise.reject(
        new MyelinError(
          'MYELIN_ERR_INTERNAL',
          `batcher: ${x.length} values for ${n} rows of width ${this.inputWidth}`,
        ),
      );
    }
    if (!this.opts.enabled) {
      return new Promise((resolve, reject) =>
        this.runJobs([{ x, n, resolve, reject, deadline: Infinity, timeoutMs, done: false }]),
      );
    }
    if (this.queued + n > this.opts.maxQueuedRows && this.queued > 0) {
      return Promise.reject(
        new MyelinError(
          'MYELIN_ERR_SERVING_OVERLOADED',
          `the queue of this model version is full (${this.queued} rows waiting, limit ${this.opts.maxQueuedRows})`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const deadline = timeoutMs > 0 ? this.clock.now() + timeoutMs : Infinity;
      const job: Job = { x, n, resolve, reject, deadline, timeoutMs, done: false };
      if (deadline < this.sweepAt) this.armSweep(deadline);
      this.queue.push(job);
      this.queued += n;
      this.schedule();
    });
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new work; queued work still runs. */
  close(): void {
    this.closed = true;
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queued >= this.opts.maxBatchSize) {
      this.timer?.cancel();
      this.timer = undefined;
      this.flush();
    } else if (!this.timer && this.queue.length > 0) {
      const run = () => {
        this.timer = undefined;
        this.flush();
      };
      if (this.opts.batchTimeoutMs > 0) this.timer = this.clock.setTimeout(run, this.opts.batchTimeoutMs);
      else {
        // 0: the end of this event-loop turn, so every request parsed in this turn joins the batch
        const h = setImmediate(run);
        this.timer = { cancel: () => clearImmediate(h) };
      }
    }
  }

  /** Sets the one timeout timer to fire at `at` (one timer per batcher, not one per request). */
  private armSweep(at: number): void {
    this.sweepTimer?.cancel();
    this.sweepAt = at;
    this.sweepTimer = this.clock.setTimeout(() => this.sweep(), Math.max(0, at - this.clock.now()));
  }

  /** Drops every queued job past its deadline, then waits for the next deadline, if any. */
  private sweep(): void {
    this.sweepTimer = undefined;
    this.sweepAt = Infinity;
    const now = this.clock.now();
    let next = Infinity;
    const kept: Job[] = [];
    const expired: Job[] = [];
    for (const job of this.queue) {
      if (job.deadline <= now) expired.push(job);
      else {
        kept.push(job);
        if (job.deadline < next) next = job.deadline;
      }
    }
    if (next < Infinity) this.armSweep(next);
    if (expired.length === 0) return;
    this.queue = kept;
    for (const job of expired) {
      this.queued -= job.n;
      job.done = true;
      job.reject(
        new MyelinError(
          'MYELIN_ERR_SERVING_TIMEOUT',
          `the prediction did not start within ${job.timeoutMs} ms`,
        ),
      );
    }
    this.notifyIdle();
  }

  private flush(): void {
    if (this.running) return;
    while (this.queue.length > 0) {
      const take: Job[] = [];
      let rows = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0] as Job;
        if (take.length > 0 && rows + next.n > this.opts.maxBatchSize) break;
        this.queue.shift();
        take.push(next);
        rows += next.n;
      }
      this.queued -= rows;
      this.runJobs(take);
      // a model still running takes the rest when it is done; a partial remainder waits for its
      // own timer; a full one runs now
      if (this.running || this.queued < this.opts.maxBatchSize) break;
    }
    this.schedule();
    this.notifyIdle();
  }

  private runJobs(jobs: Job[]): void {
    const rows = jobs.reduce((s, j) => s + j.n, 0);
    let x: Float32Array;
    if (jobs.length === 1) x = (jobs[0] as Job).x;
    else {
      x = new Float32Array(rows * this.inputWidth);
      let at = 0;
      for (const j of jobs) {
        x.set(j.x, at);
        at += j.x.length;
      }
    }
    this.active++;
    const started = this.clock.now();
    let y: Float32Array | Promise<Float32Array>;
    try {
      y = this.predict(x, rows);
    } catch (e) {
      this.active--;
      for (const j of jobs) this.settle(j, () => j.reject(e));
      return;
    }
    if (y instanceof Float32Array) {
      this.active--;
      this.answer(jobs, y, rows, started);
      return;
    }
    // off the main thread: requests parsed meanwhile queue up for the next call
    void y.then(
      (out) => {
        this.active--;
        this.answer(jobs, out, rows, started);
        this.schedule();
        this.notifyIdle();
      },
      (e: unknown) => {
        this.active--;
        for (const j of jobs) this.settle(j, () => j.reject(e));
        this.schedule();
        this.notifyIdle();
      },
    );
  }

  /** Reports a finished call and hands each job its slice of the outputs. */
  private answer(jobs: Job[], y: Float32Array, rows: number, started: number): void {
    this.onBatch?.({ rows, requests: jobs.length, ms: this.clock.now() - started });
    let at = 0;
    for (const j of jobs) {
      const len = j.n * this.outputWidth;
      // a view, not a copy: the batch's output array is written once and only read afterwards
      const part = y.subarray(at, at + len);
      at += len;
      this.settle(j, () => j.resolve(part));
    }
  }

  private settle(job: Job, fn: () => void): void {
    if (job.done) return;
    job.done = true;
    fn();
  }

  private notifyIdle(): void {
    if (this.queue.length === 0 && !this.running) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
