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
      payload: {
        step: 'train',
        epoch: 2,
        epochs: 5,
        metrics: { loss: 0.5 },
        durationMs: 10,
        samplesPerSec: 100,
      },
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

  it('keeps only events whose fields have the API types, and builds each from its own fields', () => {
    const engine = {
      engine: 'torch',
      version: 'libtorch 2.1',
      device: 'cpu',
      threads: 2,
      gpu: false,
      reason: [],
    };
    expect(
      toRunEvent({ event: 'engine', data: JSON.stringify({ step: 'train', engine }), id: '3' })?.event,
    ).toEqual({
      type: 'engine',
      step: 'train',
      engine,
    });
    expect(
      toRunEvent({ event: 'step', data: '{"step":"train","status":"running","extra":1}', id: '4' })?.event,
    ).toEqual({ type: 'step', step: 'train', status: 'running' });
    expect(toRunEvent({ event: 'step', data: '{"step":"deploy","status":"running"}', id: '5' })).toBeNull();
    expect(toRunEvent({ event: 'step', data: '{"step":"train","status":"done"}', id: '6' })).toBeNull();
    expect(toRunEvent({ event: 'log', data: '{"step":"train","message":7}', id: '7' })).toBeNull();
    expect(
      toRunEvent({
        event: 'engine',
        data: JSON.stringify({ step: 'train', engine: { ...engine, threads: '2' } }),
        id: '8',
      }),
    ).toBeNull();
    expect(toRunEvent({ event: 'end', data: '{"status":"exploded"}', id: '9' })).toBeNull();
    expect(toRunEvent({ event: 'surprise', data: '{"step":"train"}', id: '10' })).toBeNull();
  });
});
