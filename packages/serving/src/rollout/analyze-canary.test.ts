import { describe, expect, it } from 'vitest';
import { FakeClock } from '../util/fake-clock.js';
import { analyzeCanary } from './analyze-canary.js';
import { resolveRollout } from './rollout-settings.js';
import { VersionStats } from './version-stats.js';

const settings = resolveRollout({
  strategy: 'canary',
  traffic: 0.2,
  duration: 60,
  maxErrorRateIncrease: 0.02,
  maxLatencyP95Increase: 0.5,
  maxDivergence: 0.1,
  minRequests: 20,
});

function stats(requests: number, errors: number, latencyMs: number, diffs: number[] = []): VersionStats {
  const s = new VersionStats();
  for (let i = 0; i < requests; i++) s.record(i >= errors, latencyMs);
  for (const d of diffs) s.compare(d);
  return s;
}

describe('analyzeCanary (fake clock)', () => {
  const clock = new FakeClock(1_000_000);
  const startedAt = clock.now();

  it('continues inside the window while the candidate is healthy', () => {
    clock.advance(30_000);
    const d = analyzeCanary({
      stable: stats(100, 0, 5).snapshot(),
      candidate: stats(30, 0, 5).snapshot(),
      settings,
      startedAt,
      now: clock.now(),
    });
    expect(d.decision).toBe('continue');
    expect(d.figures.elapsedS).toBe(30);
  });

  it('promotes at the end of the window when every bound held', () => {
    const d = analyzeCanary({
      stable: stats(100, 1, 5).snapshot(),
      candidate: stats(40, 0, 6, new Array(40).fill(0)).snapshot(),
      settings,
      startedAt,
      now: startedAt + 60_000,
    });
    expect(d.decision).toBe('promote');
    expect(d.figures.latencyP95Increase).toBeCloseTo(0.2);
    expect(d.reasons[0]).toMatch(/within every bound/);
  });

  it('rolls back early on an error-rate increase, naming the figure', () => {
    const d = analyzeCanary({
      stable: stats(100, 0, 5).snapshot(),
      candidate: stats(20, 2, 5).snapshot(),
      settings,
      startedAt,
      now: startedAt + 10_000,
    });
    expect(d.decision).toBe('rollback');
    expect(d.reasons.join()).toMatch(/error rate rose by 0.1 \(bound 0.02\)/);
    expect(d.figures.errorRateIncrease).toBeCloseTo(0.1);
  });

  it('rolls back on p95 latency', () => {
    const d = analyzeCanary({
      stable: stats(100, 0, 4).snapshot(),
      candidate: stats(25, 0, 8).snapshot(),
      settings,
      startedAt,
      now: startedAt + 1,
    });
    expect(d.decision).toBe('rollback');
    expect(d.reasons.join()).toMatch(/p95 latency rose by 100%/);
  });

  it('rolls back on divergence; regression divergence is scaled by the target std', () => {
    const diverging = stats(25, 0, 5, [1, 0, 0, 0, 1]).snapshot(); // 40% disagreement
    expect(
      analyzeCanary({
        stable: stats(50, 0, 5).snapshot(),
        candidate: diverging,
        settings,
        startedAt,
        now: startedAt + 1,
      }).decision,
    ).toBe('rollback');
    const mad = stats(25, 0, 5, [3, 3]).snapshot(); // mean |Δ| = 3
    expect(
      analyzeCanary({
        stable: stats(50, 0, 5).snapshot(),
        candidate: mad,
        settings,
        startedAt,
        now: startedAt + 60_000,
        divergenceScale: 100,
      }).decision,
    ).toBe('promote');
    expect(
      analyzeCanary({
        stable: stats(50, 0, 5).snapshot(),
        candidate: mad,
        settings,
        startedAt,
        now: startedAt + 60_000,
        divergenceScale: 10,
      }).decision,
    ).toBe('rollback');
  });

  it('decides nothing on too few requests, and rolls back for lack of traffic after twice the window', () => {
    const few = stats(5, 5, 500).snapshot();
    expect(
      analyzeCanary({
        stable: stats(100, 0, 5).snapshot(),
        candidate: few,
        settings,
        startedAt,
        now: startedAt + 61_000,
      }).decision,
    ).toBe('continue');
    const late = analyzeCanary({
      stable: stats(100, 0, 5).snapshot(),
      candidate: few,
      settings,
      startedAt,
      now: startedAt + 120_000,
    });
    expect(late.decision).toBe('rollback');
    expect(late.reasons[0]).toMatch(/only 5 requests/);
  });
});

describe('VersionStats', () => {
  it('keeps error rate, p95 over a bounded sample, and mean divergence', () => {
    const s = new VersionStats(100);
    for (let i = 1; i <= 200; i++) s.record(i % 10 !== 0, i);
    s.compare(1);
    s.compare(0);
    const snap = s.snapshot();
    expect(snap.requests).toBe(200);
    expect(snap.errorRate).toBeCloseTo(0.1);
    expect(snap.p95Ms).toBe(195); // only the last 100 latencies (101..200) are kept
    expect(snap.divergence).toBe(0.5);
  });
});
