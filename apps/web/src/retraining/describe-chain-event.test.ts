import { describe, expect, it } from 'vitest';
import { describeChainEvent } from './describe-chain-event.js';

describe('describeChainEvent', () => {
  it('says what each step of a retraining chain did', () => {
    expect(
      describeChainEvent({
        type: 'retrain.started',
        ts: 0,
        payload: { trigger: 'drift', feature: 'x', metric: 'ks', score: 0.91234, threshold: 0.2 },
      }),
    ).toBe('started on drift of "x" (ks 0.912 > 0.2)');
    expect(
      describeChainEvent({
        type: 'retrain.started',
        ts: 0,
        payload: { trigger: 'schedule', schedule: '0 3 * * *' },
      }),
    ).toBe('started on schedule 0 3 * * *');
    expect(describeChainEvent({ type: 'serving.deploy.promoted', ts: 0, payload: { version: 2 } })).toBe(
      'promoted @2',
    );
    expect(
      describeChainEvent({
        type: 'serving.deploy.rolled-back',
        ts: 0,
        payload: { version: 2, reasons: ['too few requests'] },
      }),
    ).toBe('rolled back @2: too few requests');
  });
});
