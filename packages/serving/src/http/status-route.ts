import type { InferenceService } from '../core/inference-service.js';
import type { ModelManager, ServedModel } from '../core/model-manager.js';
import type { ServedVersion } from '../core/served-version.js';
import type { Clock } from '../util/clock.js';
import type { ModelStatus, ServingStatus, VersionStatus } from './status-types.js';

export type { ModelStatus, ServingStatus, VersionStatus } from './status-types.js';

const RATE_WINDOW_MS = 60_000;

/**
 * Builds `/v1/status` bodies. Request rates come from samples of each version's request count
 * taken at each status call (and when the route is built): the rate is over the oldest sample
 * no older than a minute, so a page polling the route sees the last minute, a single call sees
 * the time since the version was first seen.
 */
export function statusReporter(deps: { service: InferenceService; manager: ModelManager; clock: Clock }) {
  const samples = new WeakMap<ServedVersion, { at: number; requests: number }[]>();
  const rate = (
    v: ServedVersion,
    requests: number,
    now: number,
  ): { ratePerS: number; rateWindowS: number } => {
    let s = samples.get(v);
    if (!s) {
      // first seen now: a version seen at build time was just loaded, one swapped in later counts from here
      s = [{ at: now, requests }];
      samples.set(v, s);
    }
    while (s.length > 1 && now - (s[1] as { at: number }).at >= RATE_WINDOW_MS) s.shift();
    const base = s[0] as { at: number; requests: number };
    const windowMs = now - base.at;
    if (now - (s[s.length - 1] as { at: number }).at >= 1000) s.push({ at: now, requests });
    return {
      ratePerS: windowMs > 0 ? (requests - base.requests) / (windowMs / 1000) : 0,
      rateWindowS: Math.round(windowMs / 100) / 10,
    };
  };
  const now0 = deps.clock.now();
  for (const m of deps.manager.models.values()) {
    for (const v of deps.service.servedVersions(m))
      samples.set(v, [{ at: now0, requests: v.stats.snapshot().requests }]);
  }

  const versionStatus = (
    m: ServedModel,
    v: ServedVersion,
    role: VersionStatus['role'],
    now: number,
  ): VersionStatus => {
    const s = v.stats.snapshot();
    const q = deps.service.feedbackLog.qualities(m.name).find((x) => x.version === v.loaded.version);
    const drift = v.drift?.scores() ?? [];
    return {
      version: v.loaded.version,
      role,
      requests: s.requests,
      ...rate(v, s.requests, now),
      errorRate: s.errorRate,
      p95Ms: Number.isFinite(s.p95Ms) ? s.p95Ms : null,
      feedback: q ? { count: q.count, accuracy: q.accuracy ?? null, mae: q.mae ?? null } : null,
      drift: drift.length > 0 ? drift : null,
    };
  };

  return (authorized: (model: string) => boolean): ServingStatus => {
    const now = deps.clock.now();
    const models: ModelStatus[] = [];
    for (const m of deps.manager.models.values()) {
      if (!authorized(m.name)) continue;
      const r = m.rollout;
      const versions: VersionStatus[] = [];
      if (m.stable) versions.push(versionStatus(m, m.stable, 'stable', now));
      if (r) versions.push(versionStatus(m, r.served, 'candidate', now));
      models.push({
        name: m.name,
        alias: m.alias,
        stable: m.stable?.loaded.version ?? null,
        candidate: r?.served.loaded.version ?? null,
        rollout: r
          ? {
              strategy: r.settings.strategy,
              traffic: r.settings.traffic,
              durationS: r.settings.duration,
              startedAt: new Date(r.startedAt).toISOString(),
              lastDecision: r.last
                ? { decision: r.last.decision, reasons: r.last.reasons, elapsedS: r.last.figures.elapsedS }
                : null,
            }
          : null,
        driftThreshold: m.drift.threshold,
        lastError: m.lastError,
        versions,
      });
    }
    return { now: new Date(now).toISOString(), models };
  };
}
