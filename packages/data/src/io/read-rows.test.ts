import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Row } from '../types.js';
import { loadRows } from './load-rows.js';
import { readRows } from './read-rows.js';
import { resolveSource } from './resolve-source.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-read-'));
function file(name: string, text: string) {
  writeFileSync(join(dir, name), text);
  return resolveSource(name, { baseDir: dir });
}
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');


describe('readRows: CSV', () => {
  it('reads typed cells and reports progress', async () => {
    const src = file('ok.csv', '\ufeffa,b,c,d\n1,x,true,\n2.5,"y, z",false,7\n');
    const seen: number[] = [];
    const rows = await loadRows(src, { onProgress: (p) => seen.push(p.rows) });
    expect(rows).toEqual([
      { a: 1, b: 'x', c: true, d: null },
      { a: 2.5, b: 'y, z', c: false, d: 7 },
    ]);
    expect(seen.at(-1)).toBe(2);
  });

  it('keeps 1e999 and NaN as non-finite numbers', async () => {
    const rows = await loadRows(file('nf.csv', 'x\n1e999\nNaN\n3\n'));
    expect(rows.map((r) => r.x)).toEqual([Infinity, NaN, 3]);
  });

  it('reads TSV with a tab delimiter', async () => {
    expect(await loadRows(file('t.tsv', 'a\tb\n1\tq\n'))).toEqual([{ a: 1, b: 'q' }]);
  });

  it('rejects an empty file', async () => {
    await expect(loadRows(file('empty.csv', ''))).rejects.toMatchObject({ code: 'MYELIN_ERR_DATA_EMPTY' });
  });

  it('rejects a header without data rows', async () => {
    await expect(loadRows(file('header.csv', 'a,b\n'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_EMPTY',
      message: expect.stringContaining('has a header but no data rows'),
    });
  });

  it('rejects a ragged row naming file and line', async () => {
    await expect(loadRows(file('ragged.csv', 'a,b,c\n1,2,3\n4,5\n'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
      message: expect.stringMatching(/^ragged\.csv:3: ragged row: it has 2 fields, the header has 3/),
    });
  });

  it('rejects a duplicate column name', async () => {
    await expect(loadRows(file('dup.csv', 'a,a\n1,2\n'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
    });
  });

  it('says which file is missing', async () => {
    await expect(loadRows(resolveSource('nope.csv', { baseDir: dir }))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_READ',
      message: expect.stringContaining('nope.csv'),
    });
  });

  it('stops when aborted', async () => {
    const lines = ['x', ...Array.from({ length: 40_000 }, (_, i) => String(i))].join('\n');
    const ac = new AbortController();
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of readRows(file('abort.csv', lines), { signal: ac.signal }))
          if (++n === 10) ac.abort();
      })(),
    ).rejects.toThrow();
    expect(n).toBeLessThan(40_000);
  });
});

describe('readRows: JSON and JSONL', () => {
  it('reads a JSON array of records', async () => {
    expect(await loadRows(file('a.json', '[{"a":1,"b":null,"c":{"d":2}}]'))).toEqual([
      { a: 1, b: null, c: '{"d":2}' },
    ]);
  });

  it('rejects JSON that is not an array', async () => {
    await expect(loadRows(file('obj.json', '{"a":1}'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
      message: expect.stringContaining('expected a JSON array'),
    });
  });

  it('rejects a JSON array of non-objects', async () => {
    await expect(loadRows(file('nums.json', '[1,2]'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
    });
  });

  it('streams JSONL and skips blank lines', async () => {
    expect(await loadRows(file('a.jsonl', '{"a":1}\n\n{"a":2}\n'))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('rejects a bad JSONL line with file:line', async () => {
    await expect(loadRows(file('bad.jsonl', '{"a":1}\n{"a":\n'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
      message: expect.stringMatching(/^bad\.jsonl:2: not valid JSON/),
    });
  });

  it('rejects a JSONL line that is not an object', async () => {
    await expect(loadRows(file('arr.jsonl', '{"a":1}\n[1]\n'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
      message: expect.stringMatching(/^arr\.jsonl:2: expected a JSON object per line, got an array/),
    });
  });

  it('reads the real penguins file through npm:', async () => {
    const rows = await loadRows(resolveSource('npm:vega-datasets/data/penguins.json', { baseDir: repoRoot }));
    expect(rows).toHaveLength(344);
    expect(rows[0]).toMatchObject({ Species: 'Adelie', 'Body Mass (g)': 3750 });
  });
});

describe('readRows: Parquet', () => {
  it(
    'reads the first row group of flights-3m.parquet (ZSTD) with numbers and ISO dates',
    async () => {
      const src = resolveSource('npm:vega-datasets/data/flights-3m.parquet', { baseDir: repoRoot });
      const first: Row[] = [];
      for await (const row of readRows(src)) if (first.push(row) === 5) break;
      expect(first[0]).toEqual({
        date: '2001-01-01T00:01:00.000Z',
        delay: 33,
        distance: 2176,
        origin: 'LAS',
        destination: 'PHL',
      });
      expect(first.every((r) => typeof r.delay === 'number')).toBe(true);
    },
  );

  it('rejects a file that is not Parquet', async () => {
    await expect(loadRows(file('fake.parquet', 'not parquet at all'))).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_READ',
    });
  });
});
