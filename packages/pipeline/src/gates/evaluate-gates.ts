import { metricDirection } from '@myelin/training';

export interface GateVerdict {
  passed: boolean;
  value: number;
  /** Human-readable bound, e.g. ">= 0.95" or "<= champion 0.031 + 0.01". */
  bound: string;
  kind: 'absolute' | 'champion';
}

export interface ChampionComparison {
  alias: string;
  /** The version the alias points to, or null when there is none yet (then the comparison passes). */
  version: number | null;
  note: string;
  metrics: Record<
    string,
    { candidate: number; champion: number; passed: boolean; direction: 'higher' | 'lower' }
  >;
}

export interface GateResult {
  passed: boolean;
  gates: Record<string, GateVerdict>;
  comparison?: ChampionComparison;
}

/**
 * Applies `evaluate.gates` (absolute min/max per metric) and, when a champion was evaluated on the
 * same test split, the direction-aware comparison within `tolerance`: a higher-is-better metric
 * passes when candidate >= champion - tolerance, a lower-is-better one when candidate <= champion + tolerance.
 * A gate on a metric the evaluation did not produce fails (value NaN) rather than passing silently.
 *
 * @example
 * evaluateGates({ accuracy: 0.97 }, { accuracy: { min: 0.95 } }).passed; // true
 */
export function evaluateGates(
  metrics: Record<string, number>,
  gates: Record<string, { min?: number; max?: number }>,
  champion?: {
    alias: string;
    version: number | null;
    metrics?: Record<string, number>;
    compare: string[];
    tolerance: number;
  },
): GateResult {
  const out: Record<string, GateVerdict> = {};
  for (const [name, g] of Object.entries(gates)) {
    const value = metrics[name] ?? Number.NaN;
    const parts: string[] = [];
    let passed = Number.isFinite(value);
    if (g.min !== undefined) {
      parts.push(`>= ${g.min}`);
      passed &&= value >= g.min;
    }
    if (g.max !== undefined) {
      parts.push(`<= ${g.max}`);
      passed &&= value <= g.max;
    }
    out[name] = { passed, value, bound: parts.join(' and '), kind: 'absolute' };
  }
  let comparison: ChampionComparison | undefined;
  if (champion) {
    comparison = {
      alias: champion.alias,
      version: champion.version,
      note:
        champion.version === null
          ? `no model under alias "${champion.alias}" yet: comparison passes (first model)`
          : `compared with version ${champion.version} on the same test split`,
      metrics: {},
    };
    if (champion.version !== null && champion.metrics) {
      for (const name of champion.compare) {
        const c = metrics[name];
        const ch = champion.metrics[name];
        if (c === undefined || ch === undefined) continue;
        const direction = metricDirection(name);
        const passed = direction === 'higher' ? c >= ch - champion.tolerance : c <= ch + champion.tolerance;
        comparison.metrics[name] = { candidate: c, champion: ch, passed, direction };
        out[`${name}_vs_${champion.alias}`] = {
          passed,
          value: c,
          bound:
            direction === 'higher'
              ? `>= ${champion.alias} ${round(ch)} - ${champion.tolerance}`
              : `<= ${champion.alias} ${round(ch)} + ${champion.tolerance}`,
          kind: 'champion',
        };
      }
    }
  }
  const passed = Object.values(out).every((g) => g.passed);
  return { passed, gates: out, ...(comparison ? { comparison } : {}) };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
