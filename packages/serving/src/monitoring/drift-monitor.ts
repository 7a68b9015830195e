import {
  binCounts,
  chiSquaredFromCounts,
  jensenShannonFromWeights,
  ksTest,
  psiFromCounts,
  wassersteinNormalized,
  type ColumnProfile,
  type FittedFeature,
  type FittedPreprocessor,
  type Profile,
} from '@myelin/data';
import type { ResolvedDriftOptions } from './drift-options.js';

/** The drift score of one feature. */
export interface FeatureDrift {
  feature: string;
  /** The statistic used: ks, chi2 (Cramér's V), wasserstein (normalised), js, psi. */
  metric: string;
  score: number;
  /** Instances in the window. */
  window: number;
  drifted: boolean;
}

interface Tracker {
  feature: FittedFeature;
  ref: ColumnProfile | undefined;
  /** numeric: reference sample rebuilt from the profile's histogram */
  refSample: number[];
  /** category/boolean: reference counts per bucket (categories, then other) */
  refCounts: number[];
  values: Float64Array;
}

const REF_SAMPLE = 1000;

/** A reference sample spread evenly inside each histogram bin, in proportion to its count. */
function sampleFromHistogram(p: ColumnProfile): number[] {
  const h = p.histogram;
  if (!h || h.counts.length === 0) return p.mean !== undefined ? [p.mean] : [];
  const total = h.counts.reduce((s, c) => s + c, 0);
  const out: number[] = [];
  h.counts.forEach((c, i) => {
    const lo = h.edges[i] as number;
    const hi = h.edges[i + 1] as number;
    const k = Math.round((c / (total || 1)) * REF_SAMPLE);
    for (let j = 0; j < k; j++) out.push(lo + ((j + 0.5) / k) * (hi - lo));
  });
  return out; // ascending already: bins in order, points in order inside each
}

/**
 * Per-feature drift of live traffic against the training profile, over a sliding window of the
 * last `window` instances. Values are read back from the encoded rows (numbers un-scaled,
 * categories from their one-hot or index column), so raw and pre-encoded requests count alike;
 * a missing input counts as the value it was imputed with.
 *
 * The reference for numbers is a sample rebuilt from the profile's histogram (values spread
 * evenly inside each bin); for categories and booleans the profile's value counts.
 * `auto`: windows under `smallWindow` use the KS statistic (numbers) and Cramér's V from the
 * chi-squared test (categories), larger ones the normalised Wasserstein distance and the
 * Jensen–Shannon distance. `psi`, `ks`, `js`, `wasserstein`, `chi2` force one statistic (numbers
 * binned on the profile's histogram edges where the statistic needs counts).
 */
export class DriftMonitor {
  private readonly trackers: Tracker[];
  private seen = 0;
  private sinceCompute = 0;
  private latest: FeatureDrift[] = [];
  private computedAt = -Infinity;

  constructor(
    private readonly fp: FittedPreprocessor,
    profile: Profile,
    private readonly opts: ResolvedDriftOptions,
  ) {
    this.trackers = fp.features.map((feature) => {
      const ref = profile.columns.find((c) => c.name === feature.name);
      let refSample: number[] = [];
      let refCounts: number[] = [];
      if (ref && feature.kind === 'numeric') refSample = sampleFromHistogram(ref);
      else if (ref) {
        const labels = feature.kind === 'category' ? feature.categories : ['false', 'true'];
        const top = new Map((ref.topValues ?? []).map((t) => [t.value, t.count]));
        refCounts = labels.map((l) => top.get(l) ?? 0);
        refCounts.push(Math.max(0, ref.count - refCounts.reduce((s, c) => s + c, 0)));
      }
      return { feature, ref, refSample, refCounts, values: new Float64Array(opts.window) };
    });
  }

  /** Instances seen so far. */
  get count(): number {
    return this.seen;
  }

  /**
   * Adds `n` encoded rows to the window; returns fresh scores when it is time to recompute
   * (every `every` instances once `minSamples` were seen, at most once per `minIntervalMs` of
   * `now`), else null.
   */
  observe(x: Float32Array, n: number, now = Infinity): FeatureDrift[] | null {
    const w = this.fp.width;
    for (let r = 0; r < n; r++) {
      const slot = this.seen % this.opts.window;
      for (const t of this.trackers) t.values[slot] = decode(t.feature, x, r * w, this.fp.config.encode);
      this.seen++;
    }
    this.sinceCompute += n;
    if (this.seen < this.opts.minSamples || this.sinceCompute < this.opts.every) return null;
    if (now - this.computedAt < this.opts.minIntervalMs) return null;
    this.computedAt = now;
    this.sinceCompute = 0;
    this.latest = this.compute();
    return this.latest;
  }

  /** The last computed scores. */
  scores(): FeatureDrift[] {
    return this.latest;
  }

  /** Computes every feature's score over the current window now. */
  compute(): FeatureDrift[] {
    const size = Math.min(this.seen, this.opts.window);
    if (size === 0) return [];
    const small = size < this.opts.smallWindow;
    const out: FeatureDrift[] = [];
    for (const t of this.trackers) {
      if (!t.ref) continue;
      const cur = Array.from(t.values.subarray(0, size));
      let metric: string;
      let score: number;
      if (t.feature.kind === 'numeric') {
        if (t.refSample.length === 0) continue;
        const m = this.opts.metric === 'auto' ? (small ? 'ks' : 'wasserstein') : this.opts.metric;
        metric = m;
        if (m === 'ks') score = ksTest(t.refSample, cur).statistic;
        else if (m === 'wasserstein') score = wassersteinNormalized(t.refSample, cur);
        else {
          const edges = t.ref.histogram?.edges ?? [Math.min(...t.refSample), Math.max(...t.refSample)];
          const r = t.ref.histogram?.counts ?? [t.refSample.length];
          const c = binCounts(cur, edges);
          score = countScore(m, r, c);
        }
      } else {
        const k = t.refCounts.length;
        const c = new Array<number>(k).fill(0);
        for (const v of cur) {
          const at = v >= 0 && v < k - 1 ? v : k - 1;
          c[at] = (c[at] as number) + 1;
        }
        const m = this.opts.metric === 'auto' ? (small ? 'chi2' : 'js') : this.opts.metric;
        metric = m === 'ks' || m === 'wasserstein' ? 'js' : m;
        score = countScore(metric, t.refCounts, c);
      }
      if (!Number.isFinite(score)) score = 0;
      out.push({
        feature: t.feature.name,
        metric,
        score,
        window: size,
        drifted: score > this.opts.threshold,
      });
    }
    return out;
  }
}

/** A drift score from two aligned count vectors. chi2 is given as Cramér's V (0..1) of the 2×k table. */
function countScore(metric: string, ref: number[], cur: number[]): number {
  if (metric === 'psi') return psiFromCounts(ref, cur);
  if (metric === 'chi2') {
    // the reference rescaled to the window's size, so a large training set does not dilute V
    const rTotal = ref.reduce((s, v) => s + v, 0);
    const cTotal = cur.reduce((s, v) => s + v, 0);
    if (rTotal === 0 || cTotal === 0) return 0;
    const t = chiSquaredFromCounts(
      ref.map((v) => (v * cTotal) / rTotal),
      cur,
    );
    return t.dof > 0 ? Math.sqrt(t.statistic / (2 * cTotal * Math.min(1, t.dof))) : 0;
  }
  return jensenShannonFromWeights(ref, cur);
}

/** Reads one feature's raw value back from an encoded row (category: its index, −1 unseen). */
function decode(f: FittedFeature, x: Float32Array, at: number, encode: 'onehot' | 'index'): number {
  if (f.kind === 'numeric') return (x[at + f.offset] as number) * f.scale + f.center;
  if (f.kind === 'boolean') return (x[at + f.offset] as number) >= 0.5 ? 1 : 0;
  if (encode === 'index') return Math.round(x[at + f.offset] as number);
  for (let k = 0; k < f.width; k++) if ((x[at + f.offset + k] as number) >= 0.5) return k;
  return -1;
}
