import type { JsonObject, JsonValue, RunWithSteps } from '../metadata-records.js';

/** How a tune trial ended: trained to its end, stopped at an ASHA rung, failed, or stopped with its run. */
export type RecordedTrialStatus = 'succeeded' | 'pruned' | 'failed' | 'cancelled';
const TRIAL_STATUSES: readonly string[] = ['succeeded', 'pruned', 'failed', 'cancelled'];

/**
 * One tune trial as the train step's `trials` output records it (the tune step writes pipeline's
 * `TrialSummary`, which a pipeline type test keeps assignable to this).
 */
export interface RecordedTrial {
  index: number;
  params: Record<string, number | string | boolean>;
  status: RecordedTrialStatus;
  /** The objective on the validation split; null for a trial that did not finish. */
  metric: number | null;
  /** Epochs trained; for a pruned trial, the rung it stopped at. */
  epochsRun: number;
  /** The ASHA rung (epoch) a pruned trial stopped at; null otherwise. */
  rung: number | null;
  /** The per-epoch curve: validation loss (training loss without a validation split); null where JSON had no number (NaN). */
  curve: (number | null)[];
  error?: string;
}

/** The train step's `tune` output: the search and its best trial. */
export interface RecordedTune {
  strategy: string;
  metric: string;
  direction: 'max' | 'min';
  bestTrial: number;
  bestParams: Record<string, number | string | boolean>;
  bestMetric: number;
}

/** The tune outcome and trials of a run (`tune: null, trials: []` for a run without `tune:`). */
export interface RunTrials {
  tune: RecordedTune | null;
  trials: RecordedTrial[];
}

const asObject = (v: JsonValue | undefined): JsonObject | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;

function asParams(v: JsonValue | undefined): Record<string, number | string | boolean> | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const out: Record<string, number | string | boolean> = {};
  for (const [k, p] of Object.entries(o)) {
    if (typeof p !== 'number' && typeof p !== 'string' && typeof p !== 'boolean') return undefined;
    out[k] = p;
  }
  return out;
}

function readTrial(v: JsonValue): RecordedTrial | undefined {
  const t = asObject(v);
  if (!t || typeof t.index !== 'number' || typeof t.status !== 'string') return undefined;
  if (!TRIAL_STATUSES.includes(t.status)) return undefined;
  const params = asParams(t.params);
  if (!params) return undefined;
  const curve = Array.isArray(t.curve) ? t.curve.map((x) => (typeof x === 'number' ? x : null)) : [];
  return {
    index: t.index,
    params,
    status: t.status as RecordedTrialStatus, // checked against TRIAL_STATUSES above
    metric: typeof t.metric === 'number' ? t.metric : null,
    epochsRun: typeof t.epochsRun === 'number' ? t.epochsRun : curve.length,
    rung: typeof t.rung === 'number' ? t.rung : null,
    curve,
    ...(typeof t.error === 'string' ? { error: t.error } : {}),
  };
}

function readTune(v: JsonValue | undefined): RecordedTune | null {
  const t = asObject(v);
  if (!t) return null;
  const { strategy, metric, direction, bestTrial, bestMetric } = t;
  const bestParams = asParams(t.bestParams);
  if (typeof strategy !== 'string' || typeof metric !== 'string') return null;
  if (direction !== 'max' && direction !== 'min') return null;
  if (typeof bestTrial !== 'number' || typeof bestMetric !== 'number' || !bestParams) return null;
  return { strategy, metric, direction, bestTrial, bestParams, bestMetric };
}

/**
 * The tune trials of a run, read from its train step's `tune` and `trials` outputs. Records that do
 * not have a trial's shape are left out; a run without `tune:` has none.
 */
export function readTrials(run: RunWithSteps): RunTrials {
  const outputs = run.steps.find((s) => s.name === 'train')?.outputs;
  const list = outputs?.trials;
  const trials = Array.isArray(list) ? list.flatMap((v) => readTrial(v) ?? []) : [];
  return { tune: readTune(outputs?.tune), trials };
}
