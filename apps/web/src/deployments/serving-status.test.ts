import { describe, expect, it } from 'vitest';
import { formatLiveQuality, formatMs, formatRate, trafficSplit } from './serving-status.js';

const rollout = (strategy: 'canary' | 'shadow', traffic: number) => ({
  strategy,
  traffic,
  durationS: 600,
  startedAt: '2026-11-28T23:30:00.000Z',
  lastDecision: null,
});

describe('serving status formatting', () => {
  it('describes the traffic split of stable and candidate', () => {
    expect(trafficSplit({ stable: 1, candidate: null, rollout: null })).toBe('v1 100 %');
    expect(trafficSplit({ stable: 1, candidate: 2, rollout: rollout('canary', 0.1) })).toBe(
      'v1 90 % · v2 10 % (canary)',
    );
    expect(trafficSplit({ stable: 3, candidate: 4, rollout: rollout('shadow', 0.25) })).toBe(
      'v3 100 % · v4 mirrors 25 % (shadow)',
    );
    expect(trafficSplit({ stable: null, candidate: null, rollout: null })).toBe('not loaded');
  });

  it('formats rates, latencies and live quality', () => {
    expect(formatRate(5.2345, 59.6)).toBe('5.23 req/s (60 s)');
    expect(formatRate(0, 0)).toBe('0 req/s (0 s)');
    expect(formatMs(6.2149)).toBe('6.21 ms');
    expect(formatMs(null)).toBe('–');
    expect(formatLiveQuality(null)).toBe('no feedback');
    expect(formatLiveQuality({ count: 1, accuracy: 1, mae: null })).toBe('accuracy 1 (1 label)');
    expect(formatLiveQuality({ count: 40, accuracy: null, mae: 1.23456 })).toBe('MAE 1.235 (40 labels)');
  });
});
