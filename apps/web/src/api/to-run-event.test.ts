import { describe, expect, it } from 'vitest';
import { toRunEvent } from './to-run-event.js';

describe('toRunEvent', () => {
  it('reads an event sent as itself', () => {
    expect(
      toRunEvent({ event: 'step', data: '{"type":"step","step":"train","status":"running"}', id: '5' }),
    ).toEqual({
      id: '5',
      event: { type: 'step', step: 'train', status: 'running' },
    });
  });

  it('reads a stored record around the event and takes the type from the SSE field when needed', () => {
    const data = JSON.stringify({
      id: 8,
      runId: 'r-1',
      type: 'epoch',
      ts: 1,
      payload: { step: 'train', epoch: 2, epochs: 5, metrics: { loss: 0.5 }, durationMs: 10 },
    });
    expect(toRunEvent({ event: 'epoch', data, id: '8' })?.event).toMatchObject({
      type: 'epoch',
      epoch: 2,
      metrics: { loss: 0.5 },
    });
    expect(
      toRunEvent({ event: 'step', data: '{"step":"ingest","status":"succeeded"}', id: '1' })?.event.type,
    ).toBe('step');
  });

  it('reads an end event with or without data and drops what it cannot use', () => {
    expect(toRunEvent({ event: 'end', data: '', id: undefined })?.event).toEqual({ type: 'end' });
    expect(toRunEvent({ event: 'end', data: '{"status":"failed"}', id: '9' })?.event).toEqual({
      type: 'end',
      status: 'failed',
    });
    expect(toRunEvent({ event: 'message', data: 'not json', id: undefined })).toBeNull();
    expect(toRunEvent({ event: 'epoch', data: '{"epoch":"x"}', id: undefined })).toBeNull();
  });
});
