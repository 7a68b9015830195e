import type { ArtifactStore } from '@myelin/artifacts';
import { MyelinError } from '@myelin/errors';
import type { JsonValue, MetadataStore } from '@myelin/registry';
import { resolveBatching, type ResolvedBatchingOptions } from '../batching/batching-options.js';
import { loadModelVersion } from '../loading/load-model-version.js';
import type { PredictEngine } from '../loading/version-predictor.js';
import type { ModelServeConfig } from '../model-serve-config.js';
import { resolveDrift, type ResolvedDriftOptions } from '../monitoring/drift-options.js';
import type { ServingMetrics } from '../monitoring/serving-metrics.js';
import { analyzeCanary, type CanaryDecision } from '../rollout/analyze-canary.js';
import {
  resolveRollout,
  type ResolvedRolloutSettings,
  type RolloutSettings,
} from '../rollout/rollout-settings.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { forgetSeries, serveVersion, type ServedVersion } from './served-version.js';
import { DEPLOY_EVENTS } from '../rollout/deploy-events.js';

export { DEPLOY_EVENTS };

/** A candidate under rollout. */
export interface ActiveRollout {
  served: ServedVersion;
  settings: ResolvedRolloutSettings;
  startedAt: number;
  last: CanaryDecision | null;
}

/** One served model: its stable version, maybe a candidate, and the aliases seen at the last poll. */
export interface ServedModel {
  name: string;
  alias: string;
  batching: ResolvedBatchingOptions;
  drift: ResolvedDriftOptions;
  config: ModelServeConfig;
  stable: ServedVersion | null;
  rollout: ActiveRollout | null;
  aliases: Record<string, number>;
  /** The last load failure (version and message), shown in the status route. */
  lastError: { version: number; message: string } | null;
}

/** What the manager needs. */
export interface ModelManagerDeps {
  store: ArtifactStore;
  meta: MetadataStore;
  metrics: ServingMetrics;
  clock: Clock;
  candidateAlias: string;
  warmupRuns: number;
  /** What predicts for traffic (see `LoadModelVersionOptions.engine`). */
  engine: PredictEngine;
  pollIntervalMs: number;
  log: (line: string) => void;
  /** Called after the manager moved an alias (promote / rollback). */
  announce?: (model: string) => void;
}

/**
 * Keeps every configured model's versions loaded: the alias's version answers, a `candidate`
 * alias starts a canary or shadow rollout. A poll of the registry (every `pollIntervalMs`, or
 * `refresh()` — e.g. from a Redis pub/sub nudge) notices alias moves; a new version is loaded,
 * verified and warmed up off the request path and only then swapped in, so requests keep going to
 * the old version until the new one is ready and none fails. The old version is unloaded once its
 * queued batches have run. A version that fails to load (a tampered file, a bad shape) is
 * counted, logged, kept as the model's `lastError` and skipped until the alias moves again; the
 * old version keeps serving. At start, such a model is refused alone: the others serve, and it
 * reports not ready (`/v2/health/ready`, `myelin_serving_model_ready`, `/v1/status`).
 */
export class ModelManager {
  readonly models = new Map<string, ServedModel>();
  private timer: TimerHandle | undefined;
  private polling: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly failed = new Map<string, number>();

  constructor(
    configs: ModelServeConfig[],
    private readonly deps: ModelManagerDeps,
  ) {
    for (const c of configs) {
      if (this.models.has(c.name))
        throw new MyelinError('MYELIN_ERR_USAGE', `model "${c.name}" is configured twice`);
      this.models.set(c.name, {
        name: c.name,
        alias: c.alias ?? 'production',
        batching: resolveBatching(c.batching),
        drift: resolveDrift(c.drift),
        config: c,
        stable: null,
        rollout: null,
        aliases: {},
        lastError: null,
      });
      deps.metrics.initModel(c.name);
    }
  }

  /**
   * Loads every model's alias version, then starts polling. A model whose version cannot be
   * served (failed verification, no such alias) is refused alone and reported; only when no
   * model at all can be served does this throw (the first model's error).
   */
  async start(poll = true): Promise<void> {
    await this.refresh();
    const refused = [...this.models.values()].filter((m) => !m.stable);
    for (const m of refused) {
      const e = this.startError.get(m.name);
      const message = e instanceof Error ? e.message : `model ${m.name} has no alias "${m.alias}" to serve`;
      if (!m.lastError) m.lastError = { version: m.aliases[m.alias] ?? 0, message };
      this.deps.log(`${m.name}: not served: ${message}`);
    }
    if (refused.length === this.models.size) {
      const first = refused[0]!;
      throw (
        this.startError.get(first.name) ??
        new MyelinError(
          'MYELIN_ERR_REGISTRY_NOT_FOUND',
          `model ${first.name} has no alias "${first.alias}" to serve`,
        )
      );
    }
    if (poll) this.arm();
  }

  private readonly startError = new Map<string, unknown>();

  /** Polls the registry now (alias moves, rollout analysis); resolves when the poll is done. */
  refresh(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        for (const m of this.models.values()) {
          try {
            await this.pollModel(m);
          } catch (e) {
            this.startError.set(m.name, e);
            this.deps.log(`poll of ${m.name} failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  /** Stops polling and unloads every version once its queue is empty. */
  async close(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.polling;
    for (const m of this.models.values()) {
      const all = [m.stable, m.rollout?.served].filter(
        (v): v is ServedVersion => v !== null && v !== undefined,
      );
      m.stable = null;
      m.rollout = null;
      await Promise.all(all.map((v) => this.retire(v)));
    }
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      void this.refresh().finally(() => this.arm());
    }, this.deps.pollIntervalMs);
  }

  private async pollModel(m: ServedModel): Promise<void> {
    const { meta } = this.deps;
    const detail = await meta.getModel(m.name);
    if (!detail) {
      const e = new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no registered model named "${m.name}"`);
      if (!m.stable) m.lastError = { version: 0, message: e.message };
      throw e;
    }
    m.aliases = { ...detail.aliases };
    const stableV = detail.aliases[m.alias];
    if (stableV === undefined) {
      if (!m.stable) {
        const e = new MyelinError(
          'MYELIN_ERR_REGISTRY_NOT_FOUND',
          `model ${m.name} has no alias "${m.alias}"`,
        );
        m.lastError = { version: 0, message: e.message };
        throw e;
      }
    } else if (m.stable?.loaded.version !== stableV) {
      await this.swapStable(m, stableV);
    }
    const candV = detail.aliases[this.deps.candidateAlias];
    if (candV === undefined || candV === m.stable?.loaded.version) {
      if (m.rollout) {
        const old = m.rollout.served;
        m.rollout = null;
        this.deps.metrics.modelInfo.remove({ ...old.labels, role: 'candidate' });
        for (const strategy of ['canary', 'shadow'])
          this.deps.metrics.rolloutDivergence.remove({ ...old.labels, strategy });
        if (old !== m.stable) await this.retire(old);
        this.deps.log(`${m.name}: rollout of @${old.loaded.version} ended`);
      }
    } else if (m.rollout?.served.loaded.version !== candV) {
      await this.startRollout(m, candV);
    }
    if (m.rollout && m.stable) await this.analyze(m, m.rollout, m.stable);
  }

  private async load(m: ServedModel, version: number): Promise<ServedVersion | null> {
    const key = `${m.name}@${version}`;
    if (this.failed.get(m.name) === version) return null;
    const rec = await this.deps.meta.getVersion(m.name, version);
    if (!rec) throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `${key} does not exist`);
    try {
      const loaded = await loadModelVersion(this.deps.store, rec, {
        warmupRuns: this.deps.warmupRuns,
        now: () => this.deps.clock.now(),
        engine: this.deps.engine,
        log: this.deps.log,
      });
      this.deps.metrics.modelLoadDuration.observe({ model: m.name }, loaded.loadMs / 1000);
      this.deps.log(
        `loaded ${key} in ${Math.round(loaded.loadMs)} ms (verified ${loaded.manifest.files.length} files; predicting with ${loaded.predictor.engine})`,
      );
      return serveVersion(loaded, m.batching, m.drift, this.deps.metrics, this.deps.clock);
    } catch (e) {
      this.failed.set(m.name, version);
      this.deps.metrics.modelLoadFailures.inc({ model: m.name });
      const message = e instanceof Error ? e.message : String(e);
      m.lastError = { version, message };
      this.startError.set(m.name, e);
      this.deps.log(`cannot load ${key}: ${message}`);
      return null;
    }
  }

  private async swapStable(m: ServedModel, version: number): Promise<void> {
    const fromRollout = m.rollout?.served.loaded.version === version ? m.rollout.served : null;
    const next = fromRollout ?? (await this.load(m, version));
    if (!next) return;
    const old = m.stable;
    m.stable = next;
    m.lastError = null;
    this.failed.delete(m.name);
    this.deps.metrics.modelInfo.set({ ...next.labels, role: 'stable' }, 1);
    this.deps.metrics.modelReady.set({ model: m.name }, 1);
    if (fromRollout) {
      m.rollout = null;
      this.deps.metrics.modelInfo.remove({ ...next.labels, role: 'candidate' });
      for (const strategy of ['canary', 'shadow'])
        this.deps.metrics.rolloutDivergence.remove({ ...next.labels, strategy });
    }
    this.deps.log(
      `${m.name}: ${m.alias} now answers with @${version}${old ? ` (was @${old.loaded.version})` : ''}`,
    );
    if (old) {
      this.deps.metrics.modelInfo.remove({ ...old.labels, role: 'stable' });
      await this.retire(old);
    }
  }

  private async startRollout(m: ServedModel, version: number): Promise<void> {
    const next = await this.load(m, version);
    if (!next) return;
    const old = m.rollout?.served;
    const settings = resolveRollout(await this.rolloutSettings(m, next));
    m.rollout = { served: next, settings, startedAt: this.deps.clock.now(), last: null };
    this.deps.metrics.modelInfo.set({ ...next.labels, role: 'candidate' }, 1);
    this.deps.log(
      `${m.name}: ${settings.strategy} of @${version} started (traffic ${settings.traffic}, window ${settings.duration} s)`,
    );
    if (old) await this.retire(old);
  }

  /**
   * The settings `myelin deploy` recorded for this candidate (its latest `started` event not yet
   * followed by a decision), else the model's configured rollout.
   */
  private async rolloutSettings(m: ServedModel, cand: ServedVersion): Promise<RolloutSettings> {
    const events = await this.deps.meta.listEvents({ runId: cand.loaded.record.runId, limit: 10000 });
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      const p = e.payload as Record<string, unknown> | null;
      if (!p || p.model !== m.name || p.version !== cand.loaded.version) continue;
      // a decision ends a deployment: settings recorded before it belong to an earlier rollout
      if (e.type === DEPLOY_EVENTS.promoted || e.type === DEPLOY_EVENTS.rolledBack) break;
      if (e.type === DEPLOY_EVENTS.started) {
        const s = p.settings as RolloutSettings | undefined;
        if (s && (s.strategy === 'canary' || s.strategy === 'shadow')) return s;
      }
    }
    return m.config.rollout ?? { strategy: 'canary' };
  }

  private async analyze(m: ServedModel, r: ActiveRollout, stable: ServedVersion): Promise<void> {
    const enc = r.served.loaded.targetEncoder;
    const verdict = analyzeCanary({
      stable: stable.stats.snapshot(),
      candidate: r.served.stats.snapshot(),
      settings: r.settings,
      startedAt: r.startedAt,
      now: this.deps.clock.now(),
      divergenceScale: enc.task === 'regression' ? enc.std : 1,
    });
    r.last = verdict;
    if (verdict.decision === 'continue') return;
    const { meta, candidateAlias } = this.deps;
    const cand = r.served.loaded;
    const who = 'myelin-serving';
    const why = `${r.settings.strategy} ${verdict.decision}: ${verdict.reasons.join('; ')}`;
    const payload = {
      model: m.name,
      version: cand.version,
      stableVersion: stable.loaded.version,
      strategy: r.settings.strategy,
      decision: verdict.decision,
      reasons: verdict.reasons,
      figures: verdict.figures,
      settings: r.settings,
    } satisfies JsonValue;
    if (verdict.decision === 'promote') {
      await meta.setAlias(m.name, m.alias, cand.version, { who, why });
    }
    await meta.removeAlias(m.name, candidateAlias, { who, why }).catch((e: unknown) => {
      if (!(e instanceof MyelinError && e.code === 'MYELIN_ERR_REGISTRY_NOT_FOUND')) throw e;
    });
    await meta.appendEvent(
      cand.record.runId,
      verdict.decision === 'promote' ? DEPLOY_EVENTS.promoted : DEPLOY_EVENTS.rolledBack,
      payload,
    );
    this.deps.metrics.rolloutDecisions.inc({ model: m.name, decision: verdict.decision });
    this.deps.announce?.(m.name);
    this.deps.log(`${m.name}@${cand.version}: ${why}`);
    this.again = true;
  }

  /** Unloads a version once its queue is empty. */
  private async retire(v: ServedVersion): Promise<void> {
    v.batcher.close();
    await v.batcher.idle();
    forgetSeries(v, this.deps.metrics);
    v.loaded.predictor.dispose();
  }
}
