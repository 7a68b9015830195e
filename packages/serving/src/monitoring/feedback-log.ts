import type { Cell } from '@myelin/data';
import type { ServingMetrics } from './serving-metrics.js';

interface Logged {
  model: string;
  version: number;
  /** Predicted label (classifiers) or value (regression). */
  predicted: Cell;
  regression: boolean;
}

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
 * Keeps the last `capacity` predictions by id, joins ground truth sent later (`feedback`) and
 * keeps live accuracy (classifiers) or MAE (regression) per version, exported as gauges.
 * Each prediction takes one label; the oldest predictions are forgotten first.
 *
 * Storage is a ring of `capacity` slots plus an id → slot index: remembering overwrites the
 * oldest slot and evicts its id from the index, so every call is O(1) however full it is.
 */
export class FeedbackLog {
  private readonly slots: (Logged | undefined)[];
  private readonly ids: (string | undefined)[];
  private readonly index = new Map<string, number>();
  private next = 0;
  private readonly quality = new Map<string, { count: number; sum: number; regression: boolean }>();

  constructor(
    capacity: number,
    private readonly metrics: ServingMetrics,
  ) {
    const size = Math.max(0, Math.floor(capacity));
    this.slots = new Array<Logged | undefined>(size).fill(undefined);
    this.ids = new Array<string | undefined>(size).fill(undefined);
  }

  /** Predictions remembered now. */
  get size(): number {
    return this.index.size;
  }

  /** Remembers a prediction (forgetting the oldest one when full). */
  remember(id: string, model: string, version: number, predicted: Cell, regression: boolean): void {
    if (this.slots.length === 0) return;
    const slot = this.next;
    const old = this.ids[slot];
    if (old !== undefined) this.index.delete(old);
    this.ids[slot] = id;
    this.slots[slot] = { model, version, predicted, regression };
    this.index.set(id, slot);
    this.next = slot + 1 === this.slots.length ? 0 : slot + 1;
  }

  /** Joins a true label to a prediction of `model`. */
  feedback(model: string, id: string, label: unknown): FeedbackResult {
    const slot = this.index.get(id);
    const p = slot === undefined ? undefined : this.slots[slot];
    if (slot === undefined || !p || p.model !== model) return { ok: false, reason: 'unknown' };
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
    this.index.delete(id);
    this.ids[slot] = undefined;
    this.slots[slot] = undefined;
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
