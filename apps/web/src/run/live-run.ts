import type {
  EngineSummary,
  EpochPoint,
  RecordedError,
  RunDetail,
  RunStatus,
  StepStatus,
} from '../api/api-types.js';
import type { StreamedRunEvent } from '../api/to-run-event.js';

/** What a run's event stream has told the page so far. */
export interface LiveRun {
  /** Latest state of each step seen in `step` events. */
  steps: Record<string, { status: StepStatus; durationMs?: number; error?: string }>;
  /** Epochs in order, one per (step, epoch). */
  epochs: EpochPoint[];
  /** Log lines per step. */
  logs: Record<string, string[]>;
  /** The training engine the `engine` event named. */
  engine?: EngineSummary & { reason: string[] };
  /** Set when the stream said `end`. */
  ended?: { status?: RunStatus; error?: RecordedError | null };
}

export const emptyLiveRun = (): LiveRun => ({ steps: {}, epochs: [], logs: {} });

/**
 * Folds one streamed event into the live state (returns a new object; the input is not changed).
 * An epoch seen twice (a resumed stream) replaces the earlier one.
 *
 * @example applyRunEvent(emptyLiveRun(), { id: '1', event: { type: 'step', step: 'ingest', status: 'running' } }).steps.ingest
 * // { status: 'running' }
 */
export function applyRunEvent(live: LiveRun, { event }: StreamedRunEvent): LiveRun {
  switch (event.type) {
    case 'step':
      return {
        ...live,
        steps: {
          ...live.steps,
          [event.step]: {
            status: event.status,
            ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
            ...(event.error !== undefined ? { error: event.error } : {}),
          },
        },
      };
    case 'epoch': {
      const point: EpochPoint = {
        step: event.step,
        epoch: event.epoch,
        epochs: event.epochs,
        metrics: event.metrics,
        durationMs: event.durationMs,
      };
      return { ...live, epochs: mergeEpochs(live.epochs, [point]) };
    }
    case 'log':
      return {
        ...live,
        logs: { ...live.logs, [event.step]: [...(live.logs[event.step] ?? []), event.message] },
      };
    case 'engine': {
      const e = event.engine;
      return {
        ...live,
        engine: {
          name: e.engine,
          version: e.version,
          device: e.device,
          threads: e.threads,
          reason: e.reason ?? [],
        },
      };
    }
    case 'end':
      return {
        ...live,
        ended: { ...(event.status ? { status: event.status } : {}), error: event.error ?? null },
      };
    default:
      return live;
  }
}

/** Epochs of both lists by (step, epoch), later lists winning, sorted by epoch. */
export function mergeEpochs(a: readonly EpochPoint[], b: readonly EpochPoint[]): EpochPoint[] {
  const byKey = new Map<string, EpochPoint>();
  for (const p of [...a, ...b])
    byKey.set(`${p.step ?? 'train'}#${p.epoch}`, { ...byKey.get(`${p.step ?? 'train'}#${p.epoch}`), ...p });
  return [...byKey.values()].sort((x, y) => x.epoch - y.epoch);
}

/** The steps of a pipeline in plan order (what `compilePlan` produces). */
export const PLAN_STEPS = ['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register'] as const;

/** One step as the graph draws it. */
export interface StepView {
  name: string;
  status: StepStatus;
  durationMs: number | null;
  startedAt: number | null;
  error: RecordedError | null;
  attempt?: number;
}

/**
 * The steps to draw: the plan's steps in order (and any others the run recorded), each with the
 * newest of its recorded state and what the stream said since. A step the run never reached is
 * `pending` while the run goes on and `skipped` once it ended.
 */
export function stepViews(run: RunDetail | null, live: LiveRun, now = Date.now()): StepView[] {
  const recorded = new Map((run?.steps ?? []).map((s) => [s.name, s]));
  const names: string[] = [...PLAN_STEPS];
  for (const n of [...recorded.keys(), ...Object.keys(live.steps)]) if (!names.includes(n)) names.push(n);
  const runOver =
    live.ended !== undefined || (run !== null && ['succeeded', 'failed', 'cancelled'].includes(run.status));
  return names.map((name) => {
    const rec = recorded.get(name);
    const ev = live.steps[name];
    const recFinal = rec && rec.status !== 'running' && rec.status !== 'pending';
    const status: StepStatus = recFinal
      ? rec.status
      : (ev?.status ?? rec?.status ?? (runOver ? 'skipped' : 'pending'));
    const startedAt = rec?.startedAt ?? null;
    let durationMs: number | null = rec?.durationMs ?? null;
    if (durationMs === null && rec?.startedAt != null && rec.finishedAt != null)
      durationMs = rec.finishedAt - rec.startedAt;
    if (durationMs === null && ev?.durationMs !== undefined) durationMs = ev.durationMs;
    if (durationMs === null && status === 'running' && startedAt !== null) durationMs = now - startedAt;
    const error = rec?.error ?? (ev?.error ? { code: '', message: ev.error } : null);
    return { name, status, durationMs, startedAt, error, ...(rec?.attempt ? { attempt: rec.attempt } : {}) };
  });
}
