import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatedSource, pickDatedFile } from './dated-source.js';
import { resolveSource } from './resolve-source.js';

const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('pickDatedFile', () => {
  const names = ['2026-01-01.csv', '2026-01-03.csv', '2026-02-30.csv', 'latest.csv', '2026-01-02.json'];

  it('picks the newest matching file not after the run date', () => {
    expect(pickDatedFile('data/{date:YYYY-MM-DD}.csv', names, day(2026, 1, 2))).toBe('data/2026-01-01.csv');
    expect(pickDatedFile('data/{date:YYYY-MM-DD}.csv', names, day(2026, 1, 3))).toBe('data/2026-01-03.csv');
    expect(pickDatedFile('{date}.csv', names, day(2027, 1, 1))).toBe('2026-01-03.csv');
  });

  it('reads other formats and ignores names that are not dates', () => {
    const more = ['events_20251231.parquet', 'events_20260229.parquet', 'events_20260101.parquet'];
    expect(pickDatedFile('events_{date:YYYYMMDD}.parquet', more, day(2026, 6, 1))).toBe(
      'events_20260101.parquet',
    );
  });

  it('says when nothing matches, and refuses a bad template', () => {
    expect(() => pickDatedFile('{date}.csv', names, day(2025, 1, 1))).toThrow(/no file .* up to 2025-01-01/);
    expect(() => pickDatedFile('{date:MM-DD}.csv', names, day(2026, 1, 1))).toThrow(/needs YYYY/);
    expect(() => pickDatedFile('{date:YYYY+MM}.csv', names, day(2026, 1, 1))).toThrow(/may hold only/);
    expect(() => pickDatedFile('{date}/{date}.csv', names, day(2026, 1, 1))).toThrow(/only in the file name/);
  });

  it('is recognised by its placeholder', () => {
    expect(isDatedSource('data/{date}.csv')).toBe(true);
    expect(isDatedSource('data/rows.csv')).toBe(false);
  });
});

describe('resolveSource with a dated path', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'myelin-dated-'));
    await mkdir(join(dir, 'data'));
    for (const n of ['2026-03-01.csv', '2026-03-02.csv']) await writeFile(join(dir, 'data', n), 'a,b\n1,2\n');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('resolves to the newest file inside the pipeline folder and shows both', () => {
    const src = resolveSource('data/{date:YYYY-MM-DD}.csv', { baseDir: dir, now: day(2026, 3, 5) });
    expect(src.path).toBe(join(dir, 'data', '2026-03-02.csv'));
    expect(src.format).toBe('csv');
    expect(src.display).toBe('data/{date:YYYY-MM-DD}.csv → data/2026-03-02.csv');
  });

  it('keeps the folder rule: a template outside the folder is refused', () => {
    expect(() =>
      resolveSource('../{date}.csv', { baseDir: join(dir, 'data'), now: day(2026, 3, 5) }),
    ).toThrow();
  });
});
