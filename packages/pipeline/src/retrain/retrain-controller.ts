import { isMyelinError } from '@myelin/errors';
import {
  RetrainStore,
  type JsonObject,
  type JsonValue,
  type RunEvent,
  type ScheduleRecord,
} from '@myelin/registry';
import { parseSpec, type LoadedSpec } from '@myelin/spec';
import { submitRun, type RunOptions, type RunSummary } from '../run/run-pipeline.js';
import type { StepOptions } from '../run/step-context.js';
import { SCHEDULE_TIMEZONE, checkSchedule } from '../schedule/next-fire-time.js';
import { openScheduler } from '../schedule/open-scheduler.js';
import type { Scheduler } from '../schedule/scheduler.js';
import { decideRetrain } from './decide-retrain.js';
import type { RetrainControllerOptions } from './retrain-controller-options.js';
import { RETRAIN_EVENTS } from './retrain-events.js';

/** The run event type the model server appends when a feature's drift crosses the threshold. */
export const DRIFT_EVENT = 'serving.drift';
const ACTIVE = new Set(['queued', 'running']);
/** A claim taken this recently with no run recorded yet is a retraining being started by another process. */
const STARTING_GRACE_MS = 60_000;

interface DriftPayload {
  model: string;
  version: number;
  feature?: string;
  metric?: string;
  score?: number;
  threshold?: number;
}

function driftPayload(value: JsonValue): DriftPayload | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { model, version } = value;
  if (typeof model !== 'string' || typeof version !== 'number') return null;
  const pick = <T>(k: string, type: string): T | undefined =>
    typeof value[k] === type ? (value[k] as T) : undefined;
  const out: DriftPayload = { model, version };
  const feature = pick<string>('feature', 'string');
  const metric = pick<string>('metric', 'string');
  const score = pick<number>('score', 'number');
  const threshold = pick<number>('threshold', 'number');
  if (feature !== undefined) out.feature = feature;
  if (metric !== undefined) out.metric = metric;
  if (score !== undefined) out.score = score;
  if (threshold !== undefined) out.threshold = threshold;
  return out;
}

function stepOptions(value: JsonObject | null): StepOptions {
  return { allowOutside: value?.allowOutside === true, noCache: value?.noCache === true };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Retraining: the API's controller that acts on `monitor.retrain` of the pipelines it runs.
 *
 * - **Schedules**: `registerSchedule` (called when a pipeline is submitted) records the pipeline's
 *   `monitor.retrain.schedule` with its spec text, or removes a schedule the pipeline no longer has;
 *   the stack's scheduler (BullMQ job schedulers on the queue stack, timers in-process on the
 *   embedded one) fires it, and `fireSchedule` starts a run with `trigger: schedule`.
 * - **Drift**: every `pollMs` it reads the `serving.drift` events the model servers recorded since
 *   the last one handled; each is handled once across all API processes (`RetrainStore.recordTrigger`)
 *   and decided by `decideRetrain` (debounce, cooldown, one at a time, loop guard); a start reruns
 *   the pipeline that trained the drifting version with `trigger: drift` and that run as its parent.
 * - **Rollout**: when a retraining run registers a version, it is deployed as the pipeline's
 *   `deploy:` says (through `deploy`), and the outcome is appended to the run (`retrain.deployed`).
 *
 * @example
 * const retrain = await RetrainController.start({ stack, deploy });
 * await retrain.registerSchedule(loaded, { allowOutside: false, noCache: false });
 * await retrain.close();
 */
export class RetrainController {
  readonly store: RetrainStore;
  readonly scheduler: Scheduler;
  /** Retraining runs this process started that have not ended (with their rollout), by id. */
  readonly inflight = new Map<string, Promise<void>>();
  readonly #opts: RetrainControllerOptions;
  readonly #log: (line: string) => void;
  #cursor = 0;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<number> | undefined;
  #closed = false;
  #schedulesSynced = false;

  private constructor(opts: RetrainControllerOptions) {
    this.#opts = opts;
    this.#log = opts.log ?? (() => undefined);
    this.store = RetrainStore.forStore(opts.stack.meta);
    this.scheduler = openScheduler(opts.stack, {
      fire: async (pipeline) => void (await this.fireSchedule(pipeline)),
      log: this.#log,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  }

  /**
   * Opens the controller: drift polling resumes after the last drift event handled, and the
   * scheduler takes every recorded schedule (in the background: a queue stack whose Redis is away
   * gets them once it answers).
   */
  static async start(opts: RetrainControllerOptions): Promise<RetrainController> {
    const c = new RetrainController(opts);
    try {
      c.#cursor = await c.store.lastHandledEventId();
    } catch (e) {
      await c.scheduler.close().catch(() => undefined);
      throw e;
    }
    void c.#syncSchedules().catch((e: unknown) => c.#log(`schedules: ${message(e)}`));
    c.#arm();
    return c;
  }

  /**
   * Gives the scheduler the recorded schedules. In-process timers follow the records exactly (also
   * what another process removed, e.g. `myelin schedule rm`); BullMQ job schedulers live in Redis,
   * shared by every process, and are only upserted here (removal goes to Redis directly).
   */
  async #syncSchedules(): Promise<void> {
    const entries = (await this.store.listSchedules()).map(entryOf);
    if (this.scheduler.kind === 'in-process') await this.scheduler.sync(entries);
    else for (const e of entries) await this.scheduler.upsert(e);
    this.#schedulesSynced = true;
  }

  // ── schedules ─────────────────────────────────────────────────────────────────────────────

  /**
   * Makes a submitted pipeline's schedule what its `monitor.retrain.schedule` says: registered or
   * changed (with this spec text, so scheduled runs run what was submitted last), or removed when
   * the pipeline has none now. Returns the schedule, or null when it has none.
   */
  async registerSchedule(loaded: LoadedSpec, options: StepOptions): Promise<ScheduleRecord | null> {
    const cron = loaded.spec.monitor?.retrain?.schedule;
    const pipeline = loaded.spec.name;
    if (cron === undefined) {
      if (await this.store.removeSchedule(pipeline)) {
        await this.scheduler.remove(pipeline);
        this.#log(`schedule of ${pipeline} removed (the pipeline has none now)`);
      }
      return null;
    }
    checkSchedule(cron);
    const record = await this.store.upsertSchedule({
      pipeline,
      cron,
      timezone: SCHEDULE_TIMEZONE,
      specText: loaded.text,
      specFile: loaded.file,
      options: { ...options },
    });
    await this.scheduler.upsert(entryOf(record));
    return record;
  }

  /** Removes a pipeline's schedule; false when it had none. */
  async removeSchedule(pipeline: string): Promise<boolean> {
    const had = await this.store.removeSchedule(pipeline);
    await this.scheduler.remove(pipeline);
    return had;
  }

  /** Starts a pipeline's scheduled run (`trigger: schedule`); null when it has no schedule any more. */
  async fireSchedule(pipeline: string): Promise<string | null> {
    const s = await this.store.getSchedule(pipeline);
    if (!s) {
      this.#log(`schedule of ${pipeline} fired but it has none recorded any more: ignored`);
      return null;
    }
    const loaded = parseSpec(s.specText, s.specFile ?? `${pipeline}.yaml`);
    const runId = await this.#startRun(
      loaded,
      stepOptions(s.options),
      { trigger: 'schedule' },
      {
        trigger: 'schedule',
        schedule: s.cron,
        timezone: s.timezone,
      },
    );
    this.#log(`schedule ${s.cron} (${s.timezone}) of ${pipeline}: started run ${runId}`);
    return runId;
  }

  // ── drift ─────────────────────────────────────────────────────────────────────────────────

  /** Reads the drift events recorded since the last one seen and handles each; returns how many. */
  async pollOnce(): Promise<number> {
    this.#polling ??= this.#poll().finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  async #poll(): Promise<number> {
    if (this.scheduler.kind === 'in-process' || !this.#schedulesSynced)
      await this.#syncSchedules().catch((e: unknown) => this.#log(`schedules: ${message(e)}`));
    let handled = 0;
    for (;;) {
      const events = await this.#opts.stack.meta.listEvents({ afterId: this.#cursor, limit: 1000 });
      for (const e of events) {
        if (e.type === DRIFT_EVENT) {
          await this.#handleDrift(e).catch((err: unknown) =>
            this.#log(`drift event ${e.id}: ${message(err)}`),
          );
          handled++;
        }
        this.#cursor = e.id;
      }
      if (events.length < 1000 || this.#closed) return handled;
    }
  }

  async #handleDrift(e: RunEvent): Promise<void> {
    const meta = this.#opts.stack.meta;
    const drift = driftPayload(e.payload);
    const base = {
      eventId: e.id,
      model: drift?.model ?? '?',
      version: drift?.version ?? 0,
      parentRunId: e.runId,
      pipeline: null,
      runId: null,
    };
    if (!drift) {
      if (
        await this.store.recordTrigger({
          ...base,
          decision: 'skipped',
          reason: 'malformed drift event: no model and version',
        })
      )
        this.#log(`drift event ${e.id} has no model and version: ignored`);
      return;
    }
    // whoever records the event first handles it; every other API process leaves it alone
    if (!(await this.store.recordTrigger({ ...base, decision: 'skipped', reason: 'being handled' }))) return;
    const at = `${drift.model}@${drift.version}`;
    const version = await meta.getVersion(drift.model, drift.version);
    const parentRun = version ? await meta.getRun(version.runId) : null;
    let loaded: LoadedSpec | null = null;
    if (parentRun) {
      try {
        loaded = parseSpec(parentRun.specText, parentRun.specFile ?? `${parentRun.pipeline}.yaml`);
      } catch {
        loaded = null;
      }
    }
    const claim = await this.store.getClaim(drift.model);
    const claimRun = claim?.runId ? await meta.getRun(claim.runId) : null;
    const now = Date.now();
    const verdict = decideRetrain({
      model: drift.model,
      version: drift.version,
      parentRun,
      onDrift: loaded ? (loaded.spec.monitor?.retrain?.onDrift ?? false) : null,
      startedForVersion: await this.store.startedFor(drift.model, drift.version),
      claim,
      claimRunActive:
        claim !== null &&
        (claim.runId === null
          ? now - claim.claimedAt < STARTING_GRACE_MS
          : ACTIVE.has(claimRun?.status ?? '')),
      eventTs: e.ts,
      now,
      cooldownMs: this.#opts.cooldownMs ?? 3_600_000,
      maxEventAgeMs: this.#opts.maxEventAgeMs ?? 3_600_000,
    });
    const pipeline = parentRun?.pipeline ?? null;
    if (!verdict.start || !loaded || !parentRun) {
      await this.store.updateTrigger(e.id, { decision: 'skipped', reason: verdict.reason });
      this.#log(`drift of ${at} on ${drift.feature ?? '?'}: not retrained: ${verdict.reason}`);
      return;
    }
    if (!(await this.store.takeClaim(drift.model, claim, now))) {
      const reason = `another process started a retraining of ${drift.model} meanwhile`;
      await this.store.updateTrigger(e.id, { decision: 'skipped', reason });
      return;
    }
    try {
      const runId = await this.#startRun(
        loaded,
        stepOptions(parentRun.options),
        { trigger: 'drift', parentRunId: parentRun.id },
        {
          trigger: 'drift',
          model: drift.model,
          version: drift.version,
          parentRunId: parentRun.id,
          driftEventId: e.id,
          ...(drift.feature !== undefined ? { feature: drift.feature } : {}),
          ...(drift.metric !== undefined ? { metric: drift.metric } : {}),
          ...(drift.score !== undefined ? { score: drift.score } : {}),
          ...(drift.threshold !== undefined ? { threshold: drift.threshold } : {}),
        },
      );
      await this.store.setClaimRun(drift.model, runId);
      await this.store.updateTrigger(e.id, { decision: 'started', reason: verdict.reason, runId });
      this.#log(`drift of ${at} on ${drift.feature ?? '?'}: started retraining run ${runId} of ${pipeline}`);
    } catch (err) {
      await this.store.updateTrigger(e.id, {
        decision: 'failed',
        reason: `could not start the run: ${message(err)}`,
      });
      throw err;
    }
  }

  // ── runs and rollout ──────────────────────────────────────────────────────────────────────

  async #startRun(
    loaded: LoadedSpec,
    options: StepOptions,
    run: Pick<RunOptions, 'trigger' | 'parentRunId'>,
    started: JsonObject,
  ): Promise<string> {
    const stack = this.#opts.stack;
    const { runId, accepted, done } = await submitRun(loaded, stack, {
      ...run,
      noCache: options.noCache,
      allowOutside: options.allowOutside,
    });
    await stack.meta.appendEvent(runId, RETRAIN_EVENTS.started, started).catch(() => undefined);
    await accepted;
    const finished = done.then((summary) => this.#rollOut(loaded, runId, summary));
    this.inflight.set(runId, finished);
    void finished.finally(() => this.inflight.delete(runId));
    return runId;
  }

  /** Deploys the version a retraining run registered, as its pipeline's `deploy:` says, and records how. */
  async #rollOut(loaded: LoadedSpec, runId: string, summary: RunSummary): Promise<void> {
    const meta = this.#opts.stack.meta;
    const record = async (payload: JsonObject) => {
      await meta.appendEvent(runId, RETRAIN_EVENTS.deployed, payload).catch(() => undefined);
      this.#log(`retraining run ${runId}: ${String(payload.detail)}`);
    };
    if (!summary.model) {
      return record({
        outcome: 'not-registered',
        detail: `no version registered (${summary.status}${summary.error ? `: ${summary.error.message}` : ', a gate failed'})`,
      });
    }
    const { name: model, version } = summary.model;
    const deploy = loaded.spec.deploy;
    if (!deploy || !this.#opts.deploy) {
      return record({
        outcome: 'registered',
        model,
        version,
        detail: `${model}@${version} registered; ${deploy ? 'no deployer in this process' : 'the pipeline has no deploy: section'}, so not rolled out`,
      });
    }
    try {
      const detail = await this.#opts.deploy({ model, version, deploy, runId });
      await record({
        outcome: deploy.strategy === 'direct' ? 'deployed' : 'candidate',
        model,
        version,
        strategy: deploy.strategy,
        detail,
      });
    } catch (e) {
      await record({
        outcome: 'deploy-failed',
        model,
        version,
        strategy: deploy.strategy,
        detail: `${model}@${version} could not be rolled out: ${isMyelinError(e) ? `${e.detail} [${e.code}]` : message(e)}`,
      });
    }
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────

  #arm(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.pollOnce()
        .catch((e: unknown) => this.#log(`drift polling: ${message(e)}`))
        .finally(() => this.#arm());
    }, this.#opts.pollMs ?? 2000);
    this.#timer.unref();
  }

  /** Stops polling and scheduling, then waits for the retraining runs this process started (and their rollout). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#polling?.catch(() => undefined);
    await this.scheduler.close();
    await Promise.allSettled([...this.inflight.values()]);
  }
}

function entryOf(s: ScheduleRecord): { pipeline: string; cron: string; timezone: string } {
  return { pipeline: s.pipeline, cron: s.cron, timezone: s.timezone };
}
