import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows } from '../io/read-rows.js';
import { resolveSource } from '../io/resolve-source.js';
import type { Anomaly, Row } from '../types.js';
import { rowsToBatches } from '../io/rows-to-batches.js';
import { analyzeBatches, analyzeTable } from './analyze-table.js';
import { formatReport } from './format-report.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'myelin-analyze-'));
const csv = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return readRows(resolveSource(name, { baseDir: dir }));
};
const find = (as: Anomaly[], rule: Anomaly['rule'], column?: string) =>
  as.find((a) => a.rule === rule && (column === undefined || a.column === column));

describe('analyzeTable on penguins', () => {
  it('profiles the real file: 344 rows, 10 missing Sex, 2 missing per measurement, multiclass', async () => {
    const src = resolveSource('npm:vega-datasets/data/penguins.json', { baseDir: repoRoot });
    const report = await analyzeTable(readRows(src), {
      target: 'Species',
      source: src.display,
      columns: {
        'Body Mass (g)': { type: 'number', min: 2000, max: 7000, nullable: true },
        Island: { type: 'category', values: ['Biscoe', 'Dream', 'Torgersen'] },
      },
    });
    expect(report.rows).toBe(344);
    const missing = Object.fromEntries(report.profile.columns.map((c) => [c.name, c.missing]));
    expect(missing).toEqual({
      Species: 0,
      Island: 0,
      'Beak Length (mm)': 2,
      'Beak Depth (mm)': 2,
      'Flipper Length (mm)': 2,
      'Body Mass (g)': 2,
      Sex: 10,
    });
    expect(report.task).toBe('multiclass');
    expect(report.targetClasses).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(report.anomalies).toEqual([]);
    // one Sex value is "." in the source data: kept as a value, not treated as missing
    expect(report.schema.columns.find((c) => c.name === 'Sex')?.values).toEqual(['.', 'FEMALE', 'MALE']);
    const text = formatReport(report);
    expect(text).toMatch(/^Sex\s+category\s+10 \(2\.9%\)/m);
    expect(text).toContain('No anomalies.');
  });
});

describe('analyzeTable rules', () => {
  it('flags 1e999 and NaN as non-finite', async () => {
    const r = await analyzeTable(csv('nf.csv', 'x,y\n1,a\n1e999,b\nNaN,c\n4,d\n'));
    expect(find(r.anomalies, 'nonFinite', 'x')).toMatchObject({
      severity: 'error',
      count: 2,
      exampleRows: [2, 3],
    });
    expect(r.profile.columns[0]).toMatchObject({ nonFinite: 2, min: 1, max: 4 });
  });

  it('throws when the target column is missing, with a suggestion and the existing columns', async () => {
    await expect(
      analyzeTable(csv('t.csv', 'Species,Island\na,b\n'), { target: 'specie', source: 't.csv' }),
    ).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_COLUMN_MISSING',
      message: expect.stringMatching(
        /t\.csv column "specie": target column "specie" is not in the data; did you mean "Species"\? Columns: "Species", "Island"/,
      ),
    });
  });

  it('throws when a feature or a rule names an absent column', async () => {
    await expect(
      analyzeTable(csv('f.csv', 'a,b\n1,2\n'), { features: ['a', 'zzz_unrelated'] }),
    ).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_COLUMN_MISSING',
      message: expect.stringContaining('"zzz_unrelated" is not in the data. Columns: "a", "b"'),
    });
    await expect(
      analyzeTable(csv('f2.csv', 'a,b\n1,2\n'), { columns: { c: { min: 0 } } }),
    ).rejects.toMatchObject({ code: 'MYELIN_ERR_DATA_COLUMN_MISSING' });
  });

  it('flags a classification target with a single class', async () => {
    const r = await analyzeTable(csv('one.csv', 'x,label\n1,yes\n2,yes\n3,yes\n'), { target: 'label' });
    expect(find(r.anomalies, 'targetClasses')).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('at least two classes; found 1 (yes)'),
    });
  });

  it('flags rows without a target value and infers binary and regression tasks', async () => {
    const r = await analyzeTable(csv('tm.csv', 'x,label\n1,a\n2,\n3,b\n'), { target: 'label' });
    expect(find(r.anomalies, 'targetMissing')).toMatchObject({ count: 1, exampleRows: [2] });
    expect(r.task).toBe('binary');
    const reg = await analyzeTable(
      Array.from({ length: 30 }, (_, i) => ({ x: i, y: i * 1.5 })),
      { target: 'y' },
    );
    expect(reg.task).toBe('regression');
    expect(reg.targetClasses).toBeUndefined();
  });

  it('checks type, range, domain and nullability rules', async () => {
    const rows: Row[] = [
      { n: 1, c: 'a' },
      { n: 'x', c: 'b' },
      { n: 100, c: 'z' },
      { n: null, c: 'a' },
    ];
    const r = await analyzeTable(rows, {
      columns: {
        n: { type: 'number', max: 10, nullable: false },
        c: { type: 'category', values: ['a', 'b'] },
      },
      maxMissingFraction: 1,
    });
    expect(find(r.anomalies, 'type', 'n')).toMatchObject({ count: 1, exampleRows: [2] });
    expect(find(r.anomalies, 'range', 'n')).toMatchObject({ count: 1, exampleRows: [3] });
    expect(find(r.anomalies, 'domain', 'c')).toMatchObject({ count: 1, exampleRows: [3] });
    expect(find(r.anomalies, 'nullable', 'n')).toMatchObject({ count: 1, exampleRows: [4] });
  });

  it('reports the minority kind of an inferred column as a type anomaly', async () => {
    const r = await analyzeTable(csv('mix.csv', 'v\n1\n2\n3\nn/a\n5\n'));
    expect(r.schema.columns[0]?.type).toBe('integer');
    expect(find(r.anomalies, 'type', 'v')).toMatchObject({ count: 1, exampleRows: [4] });
  });

  it('flags too many missing values, constant columns (a warning) and duplicate rows (an error)', async () => {
    const r = await analyzeTable(csv('m.csv', 'a,k,b\n1,x,\n2,x,\n2,x,\n3,x,4\n'));
    expect(find(r.anomalies, 'maxMissingFraction', 'b')).toMatchObject({ severity: 'error', count: 3 });
    expect(find(r.anomalies, 'constant', 'k')).toMatchObject({ severity: 'warning' });
    // a failure that validate.onFailure handles, as docs/pipeline-file.md says
    expect(find(r.anomalies, 'duplicateRows')).toMatchObject({
      severity: 'error',
      column: '*',
      count: 1,
      exampleRows: [3],
    });
    const allowed = await analyzeTable(csv('m2.csv', 'a\n1\n1\n'), { allowDuplicates: true });
    expect(find(allowed.anomalies, 'duplicateRows')).toBeUndefined();
  });

  it('checks against a given schema instead of inferring', async () => {
    const schema = {
      version: 1 as const,
      columns: [{ name: 'a', type: 'integer' as const, nullable: false, min: 0, max: 5 }],
    };
    const r = await analyzeTable(csv('s.csv', 'a\n1\n2.5\n9\n'), { schema });
    expect(r.schema.columns[0]).toMatchObject({ type: 'integer', min: 0, max: 5 });
    expect(find(r.anomalies, 'type')).toMatchObject({ exampleRows: [2] });
    expect(find(r.anomalies, 'range')).toMatchObject({ exampleRows: [3] });
  });

  it('formats anomalies with severity and example rows', async () => {
    const r = await analyzeTable(csv('fmt.csv', 'x\n1\nNaN\n'));
    expect(formatReport(r)).toMatch(/error\s+"x" nonFinite: 1 value\(s\) are NaN or ±Infinity \(rows 2\)/);
    expect(formatReport(r, { color: true })).toContain('\u001b[31m');
  });
});

describe('analyzeBatches', () => {
  it('gives the same report however the rows are cut into batches', async () => {
    const rows: Row[] = Array.from({ length: 500 }, (_, i) => ({
      n: i % 17 === 0 ? null : i % 50,
      x: i % 23 === 0 ? 'oops' : i / 7,
      c: ['a', 'b', 'c'][i % 3] as string,
      b: i % 5 === 0,
      d: i % 9 === 0 ? NaN : `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
    }));
    rows.push({ ...rows[10]! }, { ...rows[20]! });
    const opts = { columns: { n: { max: 40 }, c: { values: ['a', 'b'] } }, maxMissingFraction: 0.5 };
    // means and stds merge batch by batch: equal up to rounding
    const rounded = (r: unknown) => JSON.parse(JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
    const whole = await analyzeBatches(rowsToBatches(rows, 10_000), opts);
    for (const size of [1, 7, 64]) expect(rounded(await analyzeBatches(rowsToBatches(rows, size), opts))).toEqual(rounded(whole));
    expect(find(whole.anomalies, 'duplicateRows')).toMatchObject({ count: 2, exampleRows: [501, 502] });
    expect(find(whole.anomalies, 'type', 'x')).toMatchObject({ exampleRows: [1, 24, 47, 70, 93] });
    expect(find(whole.anomalies, 'domain', 'c')).toMatchObject({ exampleRows: [3, 6, 9, 12, 15] });
  });
});
