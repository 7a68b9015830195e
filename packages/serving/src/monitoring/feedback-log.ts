import { randomBytes } from 'node:crypto';
import type { Cell } from '@myelin/data';
import type { ServingMetrics } from './serving-metrics.js';

/** Live quality of one version from the feedback joined so far. */
export interface LiveQuality {
  model: string;
  version: number;
  count: number;
  /** Classifiers: correct / count. */
  accuracy?: number;
  /** Regression: mean absolute error. */
  mae?: number;
}

/** The outcome of one feedback. */
export type FeedbackResult =
  | { ok: true; quality: LiveQuality; correct?: boolean; absoluteError?: number }
  | { ok: false; reason: 'unknown' | 'bad-label' };

/**
 * Keeps the last `capacity` predictions, joins ground truth sent later (`feedback`) and keeps live
 * accuracy (classifiers) or MAE (regression) per version, exported as gauges. Each prediction
 * takes one label; the oldest predictions are forgotten first.
 *
 * A ring of `capacity` slots, indexed by the prediction id itself: `remember` hands out ids
 * `<boot>-<sequence, base 36>`, and sequence `s` lives in slot `s % capacity` until a newer one
 * takes it. Remembering and joining are O(1) however full the log is (no map to walk or hash).
 */
export class FeedbackLog {
  /** Per process, so ids from another server (or an earlier run) are never mistaken for ours. */
  private readonly boot = randomBytes(4).toString('hex');
  private readonly prefix = `${this.boot}-`;
  private seq = 0;
  private readonly capacity: number;
  /** Sequence number held by each slot; 0 = empty or already labelled. */
  private readonly seqs: Float64Array;
  private readonly modelOf: Int32Array;
  private readonly versionOf: Int32Array;
  private readonly regressionOf: Uint8Array;
  private readonly predictedOf: Cell[];
  private readonly models: string[] = [];
  private readonly modelIndex = new Map<string, number>();
  private live = 0;
  private readonly quality = new Map<string, { count: number; sum: number; regression: boolean }>();

  constructor(
    capacity: number,
    private readonly metrics: ServingMetrics,
  ) {
    this.capacity = Math.max(0, Math.floor(capacity));
    this.seqs = new Float64Array(this.capacity);
    this.modelOf = new Int32Array(this.capacity);
    this.versionOf = new Int32Array(this.capacity);
    this.regressionOf = new Uint8Array(this.capacity);
    this.predictedOf = new Array<Cell>(this.capacity).fill(null);
  }

  /** Predictions remembered now (not yet labelled, not yet forgotten). */
  get size(): number {
    return this.live;
  }

  /** Remembers a prediction (forgetting the oldest one when full) and returns its id. */
  remember(model: string, version: number, predicted: Cell, regression: boolean): string {
    const seq = ++this.seq;
    const id = this.prefix + seq.toString(36);
    if (this.capacity === 0) return id;
    let m = this.modelIndex.get(model);
    if (m === undefined) {
      m = this.models.push(model) - 1;
      this.modelIndex.set(model, m);
    }
    const slot = seq % this.capacity;
    if (this.seqs[slot] === 0) this.live++;
    this.seqs[slot] = seq;
    this.modelOf[slot] = m;
    this.versionOf[slot] = version;
    this.regressionOf[slot] = regression ? 1 : 0;
    this.predictedOf[slot] = predicted;
    return id;
  }

  /** The slot holding prediction `id`, or -1 when it is not (or no longer) remembered. */
  private slotOf(id: string): number {
    if (this.capacity === 0 || !id.startsWith(this.prefix)) return -1;
    const tail = id.slice(this.prefix.length);
    if (!/^[0-9a-z]{1,11}$/.test(tail)) return -1;
    const seq = parseInt(tail, 36);
    const slot = seq % this.capacity;
    return seq > 0 && this.seqs[slot] === seq ? slot : -1;
  }

  /** Joins a true label to a prediction of `model`. */
  feedback(model: string, id: string, label: unknown): FeedbackResult {
    const slot = this.slotOf(id);
    if (slot < 0 || this.models[this.modelOf[slot]!] !== model) return { ok: false, reason: 'unknown' };
    const p = {
      version: this.versionOf[slot]!,
      regression: this.regressionOf[slot] === 1,
      predicted: this.predictedOf[slot] ?? null,
    };
    let score: number;
    let correct: boolean | undefined;
    let absoluteError: number | undefined;
    if (p.regression) {
      const y = typeof label === 'number' ? label : typeof label === 'string' ? Number(label) : NaN;
      if (!Number.isFinite(y)) return { ok: false, reason: 'bad-label' };
      absoluteError = Math.abs(y - Number(p.predicted));
      score = absoluteError;
    } else {
      if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') {
        return { ok: false, reason: 'bad-label' };
      }
      correct = String(label) === String(p.predicted);
      score = correct ? 1 : 0;
    }
    this.seqs[slot] = 0;
    this.predictedOf[slot] = null;
    this.live--;
    const key = `${model}@${p.version}`;
    const q = this.quality.get(key) ?? { count: 0, sum: 0, regression: p.regression };
    q.count++;
    q.sum += score;
    this.quality.set(key, q);
    const labels = { model, version: String(p.version) };
    this.metrics.feedback.inc(labels);
    const quality: LiveQuality = { model, version: p.version, count: q.count };
    if (p.regression) {
      quality.mae = q.sum / q.count;
      this.metrics.liveMae.set(labels, quality.mae);
    } else {
      quality.accuracy = q.sum / q.count;
      this.metrics.liveAccuracy.set(labels, quality.accuracy);
    }
    return {
      ok: true,
      quality,
      ...(correct === undefined ? {} : { correct }),
      ...(absoluteError === undefined ? {} : { absoluteError }),
    };
  }

  /** Live quality of every version with feedback. */
  qualities(model: string): LiveQuality[] {
    const out: LiveQuality[] = [];
    for (const [key, q] of this.quality) {
      const at = key.lastIndexOf('@');
      if (key.slice(0, at) !== model) continue;
      const version = Number(key.slice(at + 1));
      out.push({
        model,
        version,
        count: q.count,
        ...(q.regression ? { mae: q.sum / q.count } : { accuracy: q.sum / q.count }),
      });
    }
    return out;
  }
}
