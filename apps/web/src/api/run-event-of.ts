import type { RunEvent, RunStatus } from './api-types.js';
import { RUN_STATUSES } from './api-types.js';

type ServerEvent = Exclude<RunEvent, { type: 'end' }>;
type StepEvent = Extract<RunEvent, { type: 'step' }>;
type EngineEvent = Extract<RunEvent, { type: 'engine' }>;
type EndEvent = Extract<RunEvent, { type: 'end' }>;
type StepName = ServerEvent['step'];

const STEP_NAMES = [
  'ingest',
  'validate',
  'preprocess',
  'train',
  'evaluate',
  'register',
] as const satisfies readonly StepName[];
// compiles only while STEP_NAMES lists every step the server has
const _everyStepListed: [Exclude<StepName, (typeof STEP_NAMES)[number]>] extends [never] ? true : false =
  true;
const STEP_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'cached',
  'skipped',
] as const satisfies readonly StepEvent['status'][];
const _everyStepStatusListed: [Exclude<StepEvent['status'], (typeof STEP_STATUSES)[number]>] extends [never]
  ? true
  : false = true;
const ENGINES = ['torch', 'tfjs'] as const satisfies readonly EngineEvent['engine']['engine'][];

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(list: readonly T[], v: unknown): T | undefined => list.find((x) => x === v);
const num = (v: unknown): v is number => typeof v === 'number';
const str = (v: unknown): v is string => typeof v === 'string';
const numberMap = (v: unknown): v is Record<string, number> => isObject(v) && Object.values(v).every(num);

/**
 * A run event of the given type from its fields, checked against the API's own event types;
 * null when a field the type requires is missing or of another type (the page skips it).
 *
 * @example runEventOf('log', { step: 'train', message: 'epoch 1' }) // { type: 'log', step: 'train', message: 'epoch 1' }
 */
export function runEventOf(type: string, f: Fields): RunEvent | null {
  if (type === 'end') return endEventOf(f);
  const step = oneOf(STEP_NAMES, f.step);
  if (step === undefined) return null;
  switch (type) {
    case 'step': {
      const status = oneOf(STEP_STATUSES, f.status);
      if (status === undefined) return null;
      return {
        type,
        step,
        status,
        ...(num(f.durationMs) ? { durationMs: f.durationMs } : {}),
        ...(str(f.error) ? { error: f.error } : {}),
      };
    }
    case 'epoch': {
      const { epoch, epochs, metrics, durationMs, samplesPerSec, learningRate } = f;
      if (!num(epoch) || !num(epochs) || !numberMap(metrics) || !num(durationMs) || !num(samplesPerSec))
        return null;
      return {
        type,
        step,
        epoch,
        epochs,
        metrics,
        durationMs,
        samplesPerSec,
        ...(num(learningRate) ? { learningRate } : {}),
      };
    }
    case 'log':
      if (!str(f.message)) return null;
      return {
        type,
        step,
        message: f.message,
        ...(typeof f.notice === 'boolean' ? { notice: f.notice } : {}),
      };
    case 'engine': {
      const e = f.engine;
      if (!isObject(e)) return null;
      const engine = oneOf(ENGINES, e.engine);
      const reason = Array.isArray(e.reason) && e.reason.every(str) ? e.reason : undefined;
      if (engine === undefined || !str(e.version) || !str(e.device) || !num(e.threads)) return null;
      if (typeof e.gpu !== 'boolean' || reason === undefined) return null;
      const backend = engineBackend(e.backend);
      if (backend === null) return null;
      return {
        type,
        step,
        engine: {
          engine,
          version: e.version,
          device: e.device,
          threads: e.threads,
          gpu: e.gpu,
          reason,
          ...(backend !== undefined ? { backend } : {}),
        },
      };
    }
    default:
      return null;
  }
}

type Backend = NonNullable<EngineEvent['engine']['backend']>;
const BACKENDS = ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const satisfies readonly Backend[];

/** The tfjs backend: undefined when absent, null when not one the server names. */
function engineBackend(v: unknown): Backend | undefined | null {
  if (v === undefined) return undefined;
  return oneOf(BACKENDS, v) ?? null;
}

/** The stream's last message: every field optional, each of its type when there. */
function endEventOf(f: Fields): EndEvent | null {
  const status: RunStatus | undefined = oneOf(RUN_STATUSES, f.status);
  if (f.status !== undefined && status === undefined) return null;
  if (f.exitCode !== undefined && f.exitCode !== null && !num(f.exitCode)) return null;
  const error = f.error;
  const okError = error === null || (isObject(error) && str(error.code) && str(error.message));
  if (error !== undefined && !okError) return null;
  return {
    type: 'end',
    ...(status !== undefined ? { status } : {}),
    ...(num(f.exitCode) || f.exitCode === null ? { exitCode: f.exitCode } : {}),
    ...(error === null
      ? { error: null }
      : isObject(error) && str(error.code) && str(error.message)
        ? { error: { code: error.code, message: error.message } }
        : {}),
  };
}
