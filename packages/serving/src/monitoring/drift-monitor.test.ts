import {
  ColumnProfiler,
  fitPreprocessor,
  transformBatch,
  type DataSchema,
  type Profile,
  type Row,
} from '@myelin/data';
import { describe, expect, it } from 'vitest';
import { DriftMonitor } from './drift-monitor.js';
import { resolveDrift } from './drift-options.js';

const schema: DataSchema = {
  version: 1,
  columns: [
    { name: 'x', type: 'number', nullable: false },
    { name: 'c', type: 'category', nullable: false, values: ['a', 'b'] },
  ],
};
// deterministic training rows: x uniform-ish on [0, 10), c 50/50
const train: Row[] = Array.from({ length: 2000 }, (_, i) => ({
  x: ((i * 7919) % 10000) / 1000,
  c: i % 2 ? 'a' : 'b',
}));
const fp = fitPreprocessor(train, {
  features: ['x', 'c'],
  schema,
  config: {
    impute: { numeric: 'mean', category: 'mostFrequent' },
    scale: 'standard',
    encode: 'onehot',
    unseen: 'ignore',
  },
});

function profileOf(rows: Row[]): Profile {
  const cols = schema.columns.map((c) => {
    const p = new ColumnProfiler(c.name);
    for (const r of rows) p.add(r[c.name] ?? null);
    return p.finish(c.type, rows.length);
  });
  return { version: 1, rows: rows.length, columns: cols };
}

describe('DriftMonitor', () => {
  const profile = profileOf(train);
  const feed = (m: DriftMonitor, rows: Row[]) => {
    const { data, rows: n } = transformBatch(fp, rows);
    return m.observe(data, n);
  };

  it('scores live traffic like training low, shifted traffic high (small window: KS and chi-squared)', () => {
    const same = new DriftMonitor(fp, profile, resolveDrift({ window: 100, every: 100, minSamples: 100 }));
    const s1 = feed(same, train.slice(0, 100))!;
    expect(s1.map((s) => s.metric)).toEqual(['ks', 'chi2']);
    expect(s1.every((s) => !s.drifted)).toBe(true);
    const shifted = new DriftMonitor(fp, profile, resolveDrift({ window: 100, every: 100, minSamples: 100 }));
    const s2 = feed(
      shifted,
      train.slice(0, 100).map((r) => ({ x: (r.x as number) + 5, c: 'a' })),
    )!;
    expect(s2.find((s) => s.feature === 'x')!.score).toBeGreaterThan(0.4);
    expect(s2.find((s) => s.feature === 'c')!.score).toBeGreaterThan(0.4);
    expect(s2.every((s) => s.drifted)).toBe(true);
  });

  it('uses normalised Wasserstein and Jensen-Shannon on large windows, PSI when asked', () => {
    const big = new DriftMonitor(fp, profile, resolveDrift({ window: 500, every: 500, smallWindow: 200 }));
    expect(feed(big, train.slice(0, 500))!.map((s) => s.metric)).toEqual(['wasserstein', 'js']);
    const psi = new DriftMonitor(fp, profile, resolveDrift({ window: 500, every: 500, metric: 'psi' }));
    const scores = feed(psi, train.slice(500, 1000))!;
    expect(scores.map((s) => s.metric)).toEqual(['psi', 'psi']);
    expect(Math.max(...scores.map((s) => s.score))).toBeLessThan(0.1);
  });

  it('slides: only the last `window` instances count, scores come every `every` instances', () => {
    const m = new DriftMonitor(fp, profile, resolveDrift({ window: 100, every: 50, minSamples: 50 }));
    expect(feed(m, train.slice(0, 49))).toBeNull();
    expect(feed(m, train.slice(49, 100))).not.toBeNull();
    feed(
      m,
      Array.from({ length: 100 }, () => ({ x: 50, c: 'a' })),
    );
    expect(m.scores().every((s) => s.drifted)).toBe(true);
    feed(m, train.slice(0, 100));
    expect(m.scores().some((s) => s.drifted)).toBe(false);
  });
});

describe('DriftMonitor cost bound', () => {
  it('recomputes at most once per minIntervalMs', () => {
    const fp2 = fp;
    const m = new DriftMonitor(
      fp2,
      { version: 1, rows: 0, columns: [] },
      resolveDrift({ window: 10, every: 10, minSamples: 10, minIntervalMs: 1000 }),
    );
    const x = new Float32Array(10 * fp2.width);
    expect(m.observe(x, 10, 0)).not.toBeNull();
    expect(m.observe(x, 10, 500)).toBeNull();
    expect(m.observe(x, 10, 1000)).not.toBeNull();
  });
});
