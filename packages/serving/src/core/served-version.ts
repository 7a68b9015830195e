import { DynamicBatcher } from '../batching/dynamic-batcher.js';
import type { ResolvedBatchingOptions } from '../batching/batching-options.js';
import type { LoadedVersion } from '../loading/loaded-version.js';
import { DriftMonitor } from '../monitoring/drift-monitor.js';
import type { ResolvedDriftOptions } from '../monitoring/drift-options.js';
import type { ServingMetrics } from '../monitoring/serving-metrics.js';
import { VersionStats } from '../rollout/version-stats.js';
import type { Clock } from '../util/clock.js';

/** A loaded version with its own batcher (batches never mix versions), rollout figures and drift window. */
export interface ServedVersion {
  loaded: LoadedVersion;
  batcher: DynamicBatcher;
  stats: VersionStats;
  drift: DriftMonitor | null;
  /** Features whose drift is above the threshold now (an event is raised on crossing). */
  drifted: Set<string>;
  /** Labels for metrics. */
  labels: { model: string; version: string };
  /** Metric children bound to this version's labels (no label hashing on the hot path). */
  counters: {
    instances: { inc(n?: number): void };
    predicted(label: string): { inc(n?: number): void };
  };
  /** Drift-score series this version set (feature, metric), removed with the version. */
  driftSeries: Map<string, { feature: string; metric: string }>;
}

/** Removes a retired version's gauges from /metrics (its counters stay, as Prometheus expects). */
export function forgetSeries(v: ServedVersion, metrics: ServingMetrics): void {
  metrics.queueDepth.remove(v.labels);
  for (const strategy of ['canary', 'shadow']) metrics.rolloutDivergence.remove({ ...v.labels, strategy });
  for (const s of v.driftSeries.values()) metrics.driftScore.remove({ ...v.labels, ...s });
  v.driftSeries.clear();
}

/** Wraps a loaded version for serving: its batcher (reporting batch metrics) and monitors. */
export function serveVersion(
  loaded: LoadedVersion,
  batching: ResolvedBatchingOptions,
  drift: ResolvedDriftOptions,
  metrics: ServingMetrics,
  clock: Clock,
): ServedVersion {
  const labels = { model: loaded.model, version: String(loaded.version) };
  const d = loaded.inputWidth;
  const batcher = new DynamicBatcher(
    (x, n) => loaded.predictor.predict(x, n, batching.maxBatchSize),
    d,
    loaded.outputWidth,
    batching,
    clock,
  );
  const batchSize = metrics.batchSize.labels(labels);
  const batchDuration = metrics.batchDuration.labels(labels);
  batcher.onBatch = (r) => {
    batchSize.observe(r.rows);
    batchDuration.observe(r.ms / 1000);
  };
  const byClass = new Map<string, { inc(n?: number): void }>();
  metrics.initVersion(
    labels,
    loaded.preprocessor.features.map((f) => f.name),
  );
  for (const c of loaded.classes ?? ['value']) {
    const child = metrics.predictions.labels({ ...labels, class: c });
    child.inc(0);
    byClass.set(c, child);
  }
  return {
    loaded,
    batcher,
    stats: new VersionStats(),
    drift: drift.enabled ? new DriftMonitor(loaded.preprocessor, loaded.profile, drift) : null,
    drifted: new Set(),
    labels,
    counters: {
      instances: metrics.instances.labels(labels),
      predicted(label) {
        let c = byClass.get(label);
        if (!c) {
          c = metrics.predictions.labels({ ...labels, class: label });
          byClass.set(label, c);
        }
        return c;
      },
    },
    driftSeries: new Map(),
  };
}
