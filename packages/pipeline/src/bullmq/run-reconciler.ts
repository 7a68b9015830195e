import { randomUUID } from 'node:crypto';
import { FlowProducer, Job } from 'bullmq';
import { StepQueues } from './step-queues.js';
import { Redis } from 'ioredis';
import type { MetadataStore, RecordedError, RunWithSteps } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { compilePlan, type Plan, type PlanStep, type QueueName } from '../plan/compile-plan.js';
import type { StepOptions } from '../run/step-context.js';
import { buildRunFlow } from './build-run-flow.js';
import { finishQueuedRun, isFinalRunStatus } from '../queue/finish-queued-run.js';
import { QUEUE_PREFIX, stepJobId } from '../queue/queue-names.js';
import { ReconcilerLeader } from './reconciler-leader.js';
import type { RunReconcilerOptions } from './run-reconciler-options.js';

/** What the reconciler did about one run. */
export interface ReconcileAction {
  runId: string;
  /** `requeued` from `step`; `failed` with `MYELIN_ERR_QUEUE` (or the step's error); `finished` (every step was done). */
  action: 'requeued' | 'failed' | 'finished';
  step: string | null;
  why: string;
}

/** The marker of a re-enqueue in a step's log; counted to bound how often a run is recovered. */
const REQUEUE_MARK = 're-enqueued by the run reconciler';
const HEALTHY = new Set([
  'waiting',
  'wait',
  'delayed',
  'prioritized',
  'waiting-children',
  'paused',
  'active',
]);
const QUEUES: QueueName[] = ['cpu', 'gpu'];

function stepOptionsOf(value: unknown): StepOptions | null {
  if (!value || typeof value !== 'object' || !('allowOutside' in value) || !('noCache' in value)) return null;
  const { allowOutside, noCache } = value;
  return typeof allowOutside === 'boolean' && typeof noCache === 'boolean' ? { allowOutside, noCache } : null;
}

function requeuesOf(run: RunWithSteps): number {
  return run.steps.reduce((n, s) => n + s.logs.split(REQUEUE_MARK).length - 1, 0);
}

/**
 * Finds queued runs that nothing will finish and settles them: a run whose next step has no job in
 * Redis (Redis lost its keys, the submitting process died before the jobs were added) and no
 * worker holding it (its lease — renewed by the worker's heartbeat each time it renews the job's
 * lock — has passed) is re-enqueued from its last finished step, its earlier outputs kept; a run
 * whose job failed for good while no worker ended it is failed with the step's error; a run whose
 * steps all finished is ended. A run is failed with `MYELIN_ERR_QUEUE` saying why when it cannot be
 * re-enqueued (no recorded dispatch, recovered too often). Every API and `myelin worker` process
 * runs one; one of them leads at a time (a Redis lease), so a run is recovered once.
 *
 * @example
 * const reconciler = new RunReconciler({ url: 'redis://localhost:6379', meta, name: 'api' });
 * reconciler.start(); … await reconciler.stop();
 */
export class RunReconciler {
  private readonly redis: Redis;
  private readonly leader: ReconcilerLeader;
  private readonly queues: StepQueues;
  private producer: FlowProducer | undefined;
  /** Runs seen with a missing job at the last pass: a job must be missing twice in a row. */
  private missing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  private readonly prefix: string;

  constructor(private readonly opts: RunReconcilerOptions) {
    this.prefix = opts.prefix ?? QUEUE_PREFIX;
    this.queues = new StepQueues(() => this.connection(), this.prefix);
    this.redis = new Redis(opts.url, { maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
    const interval = opts.intervalMs ?? 10_000;
    this.leader = new ReconcilerLeader(this.redis, this.prefix, `${opts.name}:${randomUUID()}`, interval * 3);
  }

  private connection() {
    return { url: this.opts.url, maxRetriesPerRequest: 1, enableOfflineQueue: false };
  }


  private flows(): FlowProducer {
    this.producer ??= new FlowProducer({ connection: this.connection(), prefix: this.prefix });
    this.producer.on('error', () => undefined);
    return this.producer;
  }

  /** Starts looking every `intervalMs` (first look at once) while this process leads. */
  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.pass().catch((e: unknown) =>
        this.opts.log?.(`reconciler: ${e instanceof Error ? e.message : String(e)}`),
      );
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.opts.intervalMs ?? 10_000);
    };
    void tick();
  }

  /** One pass when leading: what a timer tick does. Returns the actions, [] when not leading. */
  async pass(): Promise<ReconcileAction[]> {
    if (!(await this.leader.lead())) return [];
    return this.reconcileOnce();
  }

  /**
   * Looks at every queued or running run once (without leader election: tests, and `pass`).
   * Returns what it did.
   */
  async reconcileOnce(): Promise<ReconcileAction[]> {
    const actions: ReconcileAction[] = [];
    const stillMissing = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<MetadataStore['listRuns']>> = await this.opts.meta.listRuns({
        status: ['queued', 'running'],
        limit: 200,
        cursor,
      });
      for (const r of page.runs) {
        if (this.stopped) return actions;
        const action = await this.reconcileRun(r.id, stillMissing);
        if (action) {
          actions.push(action);
          this.opts.log?.(
            `reconciler: run ${action.runId} ${action.action}${action.step ? ` from step ${action.step}` : ''}: ${action.why}`,
          );
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    this.missing = stillMissing;
    return actions;
  }

  private async reconcileRun(runId: string, stillMissing: Set<string>): Promise<ReconcileAction | null> {
    const { meta } = this.opts;
    const run = await meta.getRun(runId);
    if (!run || isFinalRunStatus(run.status)) return null;
    const now = Date.now();
    const submitGrace = this.opts.submitGraceMs ?? 3 * (this.opts.intervalMs ?? 10_000);
    if (now - run.createdAt < submitGrace) return null; // its submitter may be enqueueing it
    let plan: Plan;
    try {
      plan = compilePlan(parseSpec(run.specText, run.specFile ?? `run ${run.id}`).spec);
    } catch (e) {
      return this.fail(run, null, `its recorded spec no longer parses (${(e as Error).message})`);
    }
    const done = (name: string) => {
      const s = run.steps.find((x) => x.name === name)?.status;
      return s === 'succeeded' || s === 'cached';
    };
    const next = plan.steps.find((s) => !done(s.name));
    if (!next) {
      await finishQueuedRun(meta, run.id, { kind: 'succeeded' });
      return {
        runId,
        action: 'finished',
        step: null,
        why: 'every step had finished but the run was not ended',
      };
    }
    const rec = run.steps.find((s) => s.name === next.name);
    const job = await Job.fromId(this.queues.of(next.queue), stepJobId(run.id, next.name));
    const state = job ? await job.getState() : 'missing';
    if (HEALTHY.has(state)) return null; // waiting for a worker, or held by one (BullMQ recovers stalled jobs)
    if (state === 'failed') {
      const error: RecordedError =
        rec?.status === 'failed' && rec.error
          ? rec.error
          : {
              code: 'MYELIN_ERR_QUEUE',
              message: `step ${next.name} of run ${run.id} failed for good on the queue (${job?.failedReason || 'no reason recorded'}) and no worker ended the run`,
            };
      await finishQueuedRun(meta, run.id, { kind: 'failed', step: next.name, error });
      return { runId, action: 'failed', step: next.name, why: error.message };
    }
    // missing (or completed without a record): lost, unless a worker may still hold the step
    if (rec?.status === 'running') {
      const leaseEnd = rec.leaseUntil ?? (rec.startedAt ?? now) + (this.opts.startGraceMs ?? 60_000);
      if (now < leaseEnd) return null;
    }
    stillMissing.add(run.id);
    if (!this.missing.has(run.id)) return null; // missing twice in a row before anything is done
    const why = `step ${next.name} has no ${state === 'missing' ? '' : 'live '}job in Redis and no worker holds it (Redis lost its keys, or the process that submitted the run died before queueing it)`;
    const options = stepOptionsOf(run.options);
    if (!run.specFile || !options)
      return this.fail(
        run,
        next.name,
        `${why}; the run has no recorded dispatch to queue it again, resubmit it`,
      );
    const requeues = requeuesOf(run);
    const max = this.opts.maxRequeues ?? 3;
    if (requeues >= max)
      return this.fail(run, next.name, `${why}, after ${requeues} recoveries already; resubmit it`);
    const remaining = plan.steps.slice(plan.steps.indexOf(next));
    if (!(await this.removeJobs(run.id, remaining))) return null; // a job of it is held: look again later
    const spec = parseSpec(run.specText, run.specFile).spec;
    await meta
      .appendStepLog(
        run.id,
        next.name,
        `${new Date().toISOString()} the queue lost this run's jobs (${why}); ${REQUEUE_MARK} from step ${next.name}\n`,
      )
      .catch(() => undefined);
    await this.flows().add(
      buildRunFlow({
        prefix: this.prefix,
        runId: run.id,
        plan: { ...plan, steps: remaining },
        spec,
        specFile: run.specFile,
        options,
      }),
    );
    this.missing.delete(run.id);
    stillMissing.delete(run.id);
    return { runId, action: 'requeued', step: next.name, why };
  }

  /** Removes what is left in Redis of a run's remaining steps (last first); false when one is held by a worker. */
  private async removeJobs(runId: string, steps: PlanStep[]): Promise<boolean> {
    for (const step of [...steps].reverse()) {
      for (const q of QUEUES) {
        const job = await Job.fromId(this.queues.of(q), stepJobId(runId, step.name));
        if (!job) continue;
        if ((await job.getState()) === 'active') return false;
        await job.remove({ removeChildren: true });
      }
    }
    return true;
  }

  private async fail(run: RunWithSteps, step: string | null, why: string): Promise<ReconcileAction> {
    const message = `run ${run.id} cannot go on: ${why}`;
    await finishQueuedRun(this.opts.meta, run.id, {
      kind: 'failed',
      step,
      error: { code: 'MYELIN_ERR_QUEUE', message },
    });
    return { runId: run.id, action: 'failed', step, why: message };
  }

  /** Stops looking, gives up the lead, closes its connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.leader.release();
    await Promise.allSettled([this.queues.close(), this.producer?.close()]);
    this.redis.disconnect();
  }
}
