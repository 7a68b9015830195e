import type { RunEvent } from './api-types.js';
import { runEventOf, type Fields } from './run-event-of.js';
import type { SseMessage } from './sse-parser.js';

/** A run event read from the stream, with its stream id. */
export interface StreamedRunEvent {
  id: string | undefined;
  event: RunEvent;
}

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one server-sent message of `GET /api/runs/:id/events` as a run event. The data may be the
 * event itself (`{ type: 'epoch', … }`) or the stored record around it (`{ id, type, payload, ts }`);
 * the SSE `event:` field names the type when the data does not. `null` for what the page does not
 * use (unparseable data, unknown types, fields missing or of another type than the API's).
 *
 * @example
 * toRunEvent({ event: 'step', data: '{"step":"train","status":"running"}', id: '5' });
 * // { id: '5', event: { type: 'step', step: 'train', status: 'running' } }
 */
export function toRunEvent(message: SseMessage): StreamedRunEvent | null {
  let data: unknown = {};
  if (message.data.trim() !== '') {
    try {
      data = JSON.parse(message.data);
    } catch {
      return null;
    }
  }
  if (!isObject(data)) return null;
  const inner = isObject(data.payload) ? data.payload : data;
  const type =
    (typeof inner.type === 'string' && inner.type) ||
    (typeof data.type === 'string' && data.type) ||
    (message.event !== 'message' ? message.event : '');
  if (!type) return null;
  const event = runEventOf(type, inner);
  return event === null ? null : { id: message.id, event };
}
