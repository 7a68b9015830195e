import { MyelinError } from '@myelin/errors';
import { RUN_STATUSES } from '@myelin/registry';
import type { RunStreamEnd, StreamedRunEvent } from './api-client.js';

type Fields = Record<string, unknown>;

function fields(data: string, what: string): Fields {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return bad(what, 'is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return bad(what, 'is not a JSON object');
  return Object.fromEntries(Object.entries(value));
}

function bad(what: string, why: string): never {
  throw new MyelinError(
    'MYELIN_ERR_API_UNREACHABLE',
    `the run event stream sent ${what} that ${why}; is the server at --api the Myelin API of this version?`,
  );
}

const text = (f: Fields, key: string, what: string): string =>
  typeof f[key] === 'string' ? f[key] : bad(what, `has no string "${key}"`);
const count = (f: Fields, key: string, what: string): number =>
  typeof f[key] === 'number' && Number.isFinite(f[key]) ? f[key] : bad(what, `has no number "${key}"`);

/**
 * One `data:` line of the run event stream as the event it carries, checked field by field (the
 * payload stays free-form: its kinds are many and readers check what they use).
 *
 * @example parseStreamedRunEvent('{"id":3,"runId":"r-1","type":"log","ts":1,"payload":{}}').id // 3
 * @throws MyelinError MYELIN_ERR_API_UNREACHABLE naming the missing field
 */
export function parseStreamedRunEvent(data: string): StreamedRunEvent {
  const what = 'an event';
  const f = fields(data, what);
  return {
    id: count(f, 'id', what),
    runId: text(f, 'runId', what),
    type: text(f, 'type', what),
    ts: count(f, 'ts', what),
    payload: f['payload'],
  };
}

/**
 * The stream's `event: end` message: how the run ended.
 *
 * @throws MyelinError MYELIN_ERR_API_UNREACHABLE naming the missing field
 */
export function parseRunStreamEnd(data: string): RunStreamEnd {
  const what = 'an end message';
  const f = fields(data, what);
  const status = RUN_STATUSES.find((s) => s === f['status']) ?? bad(what, 'has no run status');
  const exit = f['exitCode'];
  const error = f['error'];
  let checkedError: RunStreamEnd['error'] = null;
  if (error !== null && error !== undefined) {
    if (typeof error !== 'object' || Array.isArray(error))
      return bad(what, 'has an error that is not an object');
    const e = Object.fromEntries(Object.entries(error));
    checkedError = {
      code: text(e, 'code', `${what}'s error`),
      message: text(e, 'message', `${what}'s error`),
    };
  }
  return {
    runId: text(f, 'runId', what),
    status,
    exitCode: exit === null || exit === undefined ? null : count(f, 'exitCode', what),
    error: checkedError,
    lastEventId: count(f, 'lastEventId', what),
  };
}
