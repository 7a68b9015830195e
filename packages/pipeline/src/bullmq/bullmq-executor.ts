import { setTimeout as sleep } from 'node:timers/promises';
import { FlowProducer, Job } from 'bullmq';
import { StepQueues } from './step-queues.js';
import type { Redis } from 'ioredis';
import { MyelinError } from '@myelin/errors';
import type { MetadataStore } from '@myelin/registry';
import type { ExecutionRequest, ExecutionResult, Executor } from '../executor/executor.js';
import type { BullmqExecutorOptions } from './bullmq-executor-options.js';
import type { Plan, QueueName, StepName } from '../plan/compile-plan.js';
import { readRunEvent } from '../run/read-run-event.js';
import type { RunEvent } from '../run/step-context.js';
import { buildRunFlow } from './build-run-flow.js';
import { FlowBatch } from './flow-batch.js';
import { QUEUE_PREFIX, stepJobId } from '../queue/queue-names.js';
import { setCancelFlag } from '../queue/run-cancel-flag.js';
import { finishQueuedRun, isFinalRunStatus } from '../queue/finish-queued-run.js';
import { queuedRunResult } from '../queue/queued-run-result.js';
import { runFollowReads } from '../queue/run-follow-reads.js';
import { maskRedisUrl, pingRedis } from './redis-connection.js';
import { tuneWaitsOnTrials } from './tune-waits-on-trials.js';
import { Redis as RedisClient } from 'ioredis';

const STEP_NAMES: StepName[] = ['register', 'evaluate', 'train', 'preprocess', 'validate', 'ingest'];
const QUEUES: QueueName[] = ['cpu', 'gpu'];
const WAITING = new Set(['wait', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'paused']);

/** Resolves with `p`, or rejects after `ms` (a Redis command must never hang a run's watch). */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The production executor: a run becomes a BullMQ flow (one job per step, chained in plan order,
 * on `myelin-cpu` or `myelin-gpu` by the step's resources), processed by `myelin worker` processes
 * on any number of machines. Run state lives in the metadata store, written by the workers through
 * the same `runStep` as the in-process path; `execute` follows it there (events and final status)
 * and watches that the run's jobs are still in Redis, failing the run with `MYELIN_ERR_QUEUE` when
 * they are lost (e.g. Redis restarted without persistence) or Redis stays unreachable.
 *
 * @example
 * const executor = new BullmqExecutor({ url: 'redis://localhost:6379' }, meta);
 * await executor.ping();
 */
export class BullmqExecutor implements Executor {
  readonly name = 'bullmq';
  private redisClient: Redis | undefined;
  private flowProducer: FlowProducer | undefined;
  private readonly queues: StepQueues;
  private closed = false;
  /** BullMQ key prefix of the queues this executor submits to. */
  readonly prefix: string;

  constructor(
    private readonly opts: BullmqExecutorOptions,
    /** The metadata store `cancel` ends a run in when no worker holds one of its jobs. */
    private readonly meta?: MetadataStore,
  ) {
    this.prefix = opts.prefix ?? QUEUE_PREFIX;
    this.queues = new StepQueues(() => this.connection(), this.prefix);
  }

  /** Where the queues are, for logs. */
  describe(): string {
    return `BullMQ queues on ${maskRedisUrl(this.opts.url)} (prefix ${this.prefix})`;
  }

  /**
   * Fails with MYELIN_ERR_STACK_UNREACHABLE when Redis does not answer. Once this executor has
   * submitted a run it asks on its open connection while that is up (every `submitRun` pings: a new
   * connection each time cost more than the rest of the submission); before that, or with the
   * connection down, on a fresh one, whose failure says why. (A ping alone never leaves a
   * connection open: a process that only checks the stack still exits by itself.)
   */
  async ping(): Promise<void> {
    const timeoutMs = this.opts.connectTimeoutMs ?? 3000;
    const open = this.redisClient;
    if (open?.status === 'ready') {
      try {
        await within(timeoutMs, open.ping());
        return;
      } catch {
        // asked again below on a fresh connection, which fails with the reason
      }
    }
    await pingRedis(this.opts.url, timeoutMs);
  }

  private connection() {
    // commands fail fast while Redis is away (the watch loop retries), instead of queueing forever
    return { url: this.opts.url, maxRetriesPerRequest: 1, enableOfflineQueue: false };
  }

  private redis(): Redis {
    if (!this.redisClient) {
      this.redisClient = new RedisClient(this.opts.url, { maxRetriesPerRequest: 1 });
      this.redisClient.on('error', () => undefined);
    }
    return this.redisClient;
  }

  private producer(): FlowProducer {
    if (!this.flowProducer) {
      this.flowProducer = new FlowProducer({ connection: this.connection(), prefix: this.prefix });
      this.flowProducer.on('error', () => undefined);
    }
    return this.flowProducer;
  }

  /** Runs submitted in the same turn go to Redis in one `addBulk` (one transaction, one round trip). */
  private readonly flows = new FlowBatch((flows) => this.producer().addBulk(flows));


  async execute(req: ExecutionRequest): Promise<ExecutionResult> {
    try {
      await within(
        10_000,
        this.flows.add(
          buildRunFlow({
            prefix: this.prefix,
            runId: req.runId,
            plan: req.plan,
            spec: req.loaded.spec,
            specFile: req.loaded.file,
            options: req.options,
          }),
        ),
      );
    } catch (e) {
      throw this.unreachable(`cannot put run ${req.runId} on the queue`, e);
    }
    req.onAccepted?.();
    if (!this.closed) this.redis(); // the connection the next pings ask on
    return this.follow(req);
  }

  /** Redis failed a command: the stack is unreachable (503 at the API), never an internal error. */
  private unreachable(what: string, e: unknown): MyelinError {
    return new MyelinError(
      'MYELIN_ERR_STACK_UNREACHABLE',
      `${what}: Redis at ${maskRedisUrl(this.opts.url)} did not take the command (${e instanceof Error ? e.message : String(e)}); retry once it answers (GET /readyz)`,
      { path: 'redis.url' },
      { cause: e },
    );
  }

  /**
   * Follows a queued run in the metadata store until it ends, forwarding its events. The reads go
   * through the store's `RunFollowReads`: the follow loops of every run this process waits on share
   * one events query and one run-status query per poll, instead of one each per run.
   */
  private async follow(req: ExecutionRequest): Promise<ExecutionResult> {
    const { runId, meta, plan } = req;
    const reads = runFollowReads(meta);
    const names = plan.steps.map((s) => s.name);
    const pollMs = this.opts.pollMs ?? 300;
    const checkMs = this.opts.queueCheckMs ?? 3000;
    let afterId = 0;
    let lastCheck = Date.now();
    let stopAsked = false;
    const watch = { downSince: null as number | null };
    // the run's status is read after an event that may end the run (the last step's outcome, a
    // step failed or skipped: the run's final write follows it), and at least once a second
    // otherwise (a run ended by another process without events); a step starting or another step
    // ending does not end the run, so it reads nothing
    const quietMs = Math.max(4 * pollMs, 100);
    const lastStep = names.at(-1);
    const mayEnd = (event: RunEvent): boolean =>
      event.type === 'step' &&
      (event.status === 'failed' ||
        event.status === 'skipped' ||
        (event.step === lastStep && (event.status === 'succeeded' || event.status === 'cached')));
    let lastEventAt = 0;
    let lastRead = 0;
    let known = false;
    const drain = async () => {
      for (;;) {
        const { events, more } = await reads.events(runId, afterId);
        for (const e of events) {
          afterId = e.id;
          const event = readRunEvent(e.payload);
          if (!event) continue;
          req.onEvent(event);
          if (mayEnd(event)) lastEventAt = Date.now();
        }
        if (!more) return;
      }
    };
    for (;;) {
      await drain();
      const now = Date.now();
      if (lastRead === 0 || now - lastEventAt <= quietMs || now - lastRead >= 1000 || req.shouldStop()) {
        const status = await reads.status(runId);
        lastRead = now;
        known = status !== null;
        if (status && isFinalRunStatus(status)) {
          const run = await meta.getRun(runId);
          if (run && isFinalRunStatus(run.status)) {
            await drain();
            // every way a queued run ends (finishQueuedRun) writes its summary with its status;
            // a run failed by the submitting process itself (submitRun) has none yet
            return { ...queuedRunResult(run, names), recorded: run.summary !== null };
          }
        }
      }
      if (!stopAsked && req.shouldStop()) {
        stopAsked = true;
        await this.cancel(runId).catch(() => undefined);
      }
      if (!this.closed && Date.now() - lastCheck >= checkMs && known) {
        lastCheck = Date.now();
        await this.checkJobs(req, plan, watch);
      }
      await sleep(pollMs);
    }
  }

  /**
   * Fails the run when Redis stays away longer than `redisDownMs`, asking it for the run's flow
   * root (the last step's job, there from submission to the end, also when the reconciler queued
   * the run again): one Redis read, no metadata read. Jobs that are gone or failed for good while
   * Redis answers are the run reconciler's (`RunReconciler`, in every worker and API): it
   * re-enqueues the run from its last finished step or fails it, whichever process submitted it.
   */
  private async checkJobs(
    req: ExecutionRequest,
    plan: Plan,
    watch: { downSince: number | null },
  ): Promise<void> {
    const root = plan.steps.at(-1);
    if (!root) return;
    try {
      await within(2000, Job.fromId(this.queues.of(root.queue), stepJobId(req.runId, root.name)));
      watch.downSince = null;
    } catch (e) {
      watch.downSince ??= Date.now();
      const downMs = Date.now() - watch.downSince;
      if (downMs >= (this.opts.redisDownMs ?? 60_000)) {
        await finishQueuedRun(req.meta, req.runId, {
          kind: 'failed',
          step: null,
          error: {
            code: 'MYELIN_ERR_QUEUE',
            message: `lost contact with Redis at ${maskRedisUrl(this.opts.url)} for ${Math.round(downMs / 1000)} s while run ${req.runId} waited on its jobs (${e instanceof Error ? e.message : String(e)}); resubmit the run once Redis is back`,
          },
        });
      }
    }
  }

  /**
   * Cancels a run: sets the cancel flag every worker checks at each epoch boundary (an active
   * training step stops there, keeping a checkpoint) and before starting a step; when no job of the
   * run is active, removes its waiting jobs and ends it as cancelled at once.
   */
  async cancel(runId: string): Promise<boolean> {
    try {
      return await this.cancelJobs(runId);
    } catch (e) {
      if (e instanceof MyelinError) throw e;
      throw this.unreachable(`cannot cancel run ${runId}`, e);
    }
  }

  private async cancelJobs(runId: string): Promise<boolean> {
    await within(5000, setCancelFlag(this.redis(), this.prefix, runId));
    const jobs: Job[] = [];
    let active = false;
    for (const name of STEP_NAMES)
      for (const q of QUEUES) {
        const job = await within(5000, Job.fromId(this.queues.of(q), stepJobId(runId, name)));
        if (!job) continue;
        jobs.push(job);
        if ((await job.getState()) === 'active') active = true;
        // a train job waiting for its tune trials: they stop at their next epoch, it fails the step
        if (await within(5000, tuneWaitsOnTrials(job, this.queues.of(q), runId))) active = true;
      }
    if (jobs.length === 0) return false;
    if (!active) {
      for (const job of jobs) {
        if (WAITING.has(await job.getState()))
          await job.remove({ removeChildren: true }).catch(() => undefined);
      }
      if (this.meta)
        await finishQueuedRun(this.meta, runId, {
          kind: 'failed',
          step: null,
          error: {
            code: 'MYELIN_ERR_RUN_CANCELLED',
            message: `run ${runId} cancelled before its next step started`,
          },
        });
    }
    return true;
  }

  /** Closes the Redis connections. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([
      this.queues.close(),
      this.flowProducer?.close(),
    ]);
    this.redisClient?.disconnect();
  }
}
