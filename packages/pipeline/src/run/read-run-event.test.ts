import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@myelin/registry';
import { readRunEvent } from './read-run-event.js';
import type { RunEvent } from './step-context.js';

/** What the metadata store hands back for an event it stored. */
const stored = (event: RunEvent): JsonValue => {
  const back: JsonValue = JSON.parse(JSON.stringify(event));
  return back;
};

describe('readRunEvent', () => {
  it('reads back every kind of run event the steps write, field for field', () => {
    const events: RunEvent[] = [
      { type: 'step', step: 'train', status: 'running' },
      { type: 'step', step: 'validate', status: 'failed', durationMs: 12, error: 'bad rows' },
      {
        type: 'epoch',
        step: 'train',
        epoch: 2,
        epochs: 5,
        metrics: { loss: 0.4, val_loss: 0.5 },
        durationMs: 80,
        samplesPerSec: 1200,
        learningRate: 0.001,
      },
      { type: 'log', step: 'train', message: 'engine torch', notice: true },
      {
        type: 'engine',
        step: 'train',
        engine: {
          engine: 'tfjs',
          version: 'tfjs 4.22.0',
          device: 'wasm',
          threads: 2,
          gpu: false,
          backend: 'wasm',
          reason: ['no libtorch'],
        },
      },
    ];
    for (const e of events) expect(readRunEvent(stored(e))).toEqual(e);
  });

  it('passes over events of other kinds and payloads that lack a field their kind needs', () => {
    expect(readRunEvent({ type: 'retrain.started', model: 'm' })).toBeNull();
    expect(readRunEvent({ type: 'serving.drift', step: 'train' })).toBeNull();
    expect(readRunEvent({ type: 'step', step: 'train', status: 'exploded' })).toBeNull();
    expect(readRunEvent({ type: 'step', step: 'nowhere', status: 'running' })).toBeNull();
    expect(
      readRunEvent({
        type: 'epoch',
        step: 'train',
        epoch: 1,
        epochs: 2,
        metrics: { loss: 'x' },
        durationMs: 1,
        samplesPerSec: 1,
      }),
    ).toBeNull();
    expect(readRunEvent({ type: 'log', step: 'train' })).toBeNull();
    expect(readRunEvent({ type: 'engine', step: 'train', engine: { engine: 'jax' } })).toBeNull();
    expect(readRunEvent(null)).toBeNull();
    expect(readRunEvent(['step'])).toBeNull();
  });
});
