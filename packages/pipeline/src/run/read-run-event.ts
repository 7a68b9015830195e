import type { BackendName, EngineInfo } from '@myelin/training';
import { ENGINE_NAMES } from '@myelin/training/config';
import type { StepName } from '../plan/compile-plan.js';
import type { RunEvent } from './step-context.js';

const STEP_NAMES: readonly StepName[] = ['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register'];
const STEP_EVENT_STATUSES = ['running', 'succeeded', 'failed', 'cached', 'skipped'] as const;
const BACKEND_NAMES: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isString = (v: unknown): v is string => typeof v === 'string';
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): T | undefined =>
  allowed.find((a) => a === v);

function readMetrics(v: unknown): Record<string, number> | null {
  if (!isObject(v)) return null;
  const metrics: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!isNumber(x)) return null;
    metrics[k] = x;
  }
  return metrics;
}

function readEngine(v: unknown): EngineInfo | null {
  if (!isObject(v)) return null;
  const engine = oneOf(v.engine, ENGINE_NAMES);
  const { version, device, threads, gpu, reason } = v;
  if (!engine || !isString(version) || !isString(device) || !isNumber(threads) || typeof gpu !== 'boolean')
    return null;
  if (!Array.isArray(reason) || !reason.every(isString)) return null;
  const backend = oneOf(v.backend, BACKEND_NAMES);
  return { engine, version, device, threads, gpu, reason, ...(backend ? { backend } : {}) };
}

/**
 * A stored run event's payload as the pipeline's `RunEvent` it was written from, or null for an
 * event of another kind (retraining, serving) or one that lacks a field its kind needs. What the
 * BullMQ executor forwards to its caller while it follows a run other processes work on.
 *
 * @example readRunEvent({ type: 'log', step: 'train', message: 'engine torch' }); // the same event, typed
 */
export function readRunEvent(payload: unknown): RunEvent | null {
  if (!isObject(payload)) return null;
  const step = oneOf(payload.step, STEP_NAMES);
  if (!step) return null;
  switch (payload.type) {
    case 'step': {
      const status = oneOf(payload.status, STEP_EVENT_STATUSES);
      if (!status) return null;
      const { durationMs, error } = payload;
      return {
        type: 'step',
        step,
        status,
        ...(isNumber(durationMs) ? { durationMs } : {}),
        ...(isString(error) ? { error } : {}),
      };
    }
    case 'epoch': {
      const { epoch, epochs, durationMs, samplesPerSec, learningRate } = payload;
      const metrics = readMetrics(payload.metrics);
      if (
        !isNumber(epoch) ||
        !isNumber(epochs) ||
        !isNumber(durationMs) ||
        !isNumber(samplesPerSec) ||
        !metrics
      )
        return null;
      return {
        type: 'epoch',
        step,
        epoch,
        epochs,
        metrics,
        durationMs,
        samplesPerSec,
        ...(isNumber(learningRate) ? { learningRate } : {}),
      };
    }
    case 'log': {
      const { message, notice } = payload;
      if (!isString(message)) return null;
      return { type: 'log', step, message, ...(typeof notice === 'boolean' ? { notice } : {}) };
    }
    case 'engine': {
      const engine = readEngine(payload.engine);
      return engine ? { type: 'engine', step, engine } : null;
    }
    default:
      return null;
  }
}
