import { describe, expect, it } from 'vitest';
import { evaluateGates } from './evaluate-gates.js';

describe('evaluateGates', () => {
  it('passes and fails absolute bounds in both directions', () => {
    const r = evaluateGates({ accuracy: 0.96, ece: 0.08 }, { accuracy: { min: 0.95 }, ece: { max: 0.05 } });
    expect(r.gates.accuracy).toEqual({ passed: true, value: 0.96, bound: '>= 0.95', kind: 'absolute' });
    expect(r.gates.ece!.passed).toBe(false);
    expect(r.passed).toBe(false);
  });

  it('fails a gate on a metric that was not computed', () => {
    const r = evaluateGates({ accuracy: 0.99 }, { r2: { min: 0.8 } });
    expect(r.passed).toBe(false);
    expect(Number.isNaN(r.gates.r2!.value)).toBe(true);
  });

  it('compares with the champion direction-aware within the tolerance', () => {
    const champion = {
      alias: 'production',
      version: 3,
      metrics: { accuracy: 0.97, logLoss: 0.1 },
      compare: ['accuracy', 'logLoss'],
      tolerance: 0.01,
    };
    const ok = evaluateGates({ accuracy: 0.961, logLoss: 0.109 }, {}, champion);
    expect(ok.passed).toBe(true);
    const worse = evaluateGates({ accuracy: 0.95, logLoss: 0.2 }, {}, champion);
    expect(worse.passed).toBe(false);
    expect(worse.comparison!.metrics.accuracy!.passed).toBe(false);
    expect(worse.comparison!.metrics.logLoss).toMatchObject({ passed: false, direction: 'lower' });
  });

  it('passes the comparison when the alias has no model yet, and says so', () => {
    const r = evaluateGates(
      { accuracy: 0.5 },
      {},
      { alias: 'production', version: null, compare: ['accuracy'], tolerance: 0 },
    );
    expect(r.passed).toBe(true);
    expect(r.comparison!.note).toMatch(/first model/);
  });
});
