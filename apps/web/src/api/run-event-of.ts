import { readRunEvent } from '@myelin/pipeline/run-event';
import type { RunEvent, RunStatus } from './api-types.js';
import { RUN_STATUSES } from './api-types.js';

type EndEvent = Extract<RunEvent, { type: 'end' }>;
/** A JSON object as the stream's data parses (its fields are checked one by one). */
export type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(list: readonly T[], v: unknown): T | undefined => list.find((x) => x === v);
const num = (v: unknown): v is number => typeof v === 'number';
const str = (v: unknown): v is string => typeof v === 'string';

/**
 * One run event of the stream, built from checked fields: the server's events through the
 * pipeline's own reader of them (`readRunEvent`, what the BullMQ executor reads its followed runs'
 * events with), the stream's closing `end` message here. `null` when a field the event needs is
 * missing or of another type than the API's, or the type is one the page does not use.
 *
 * @example runEventOf('log', { step: 'train', message: 'epoch 1' }) // { type: 'log', step: 'train', message: 'epoch 1' }
 */
export function runEventOf(type: string, f: Fields): RunEvent | null {
  return type === 'end' ? endEventOf(f) : readRunEvent({ ...f, type });
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
