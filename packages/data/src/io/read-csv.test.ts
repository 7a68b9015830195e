import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchToRows } from './batch-to-rows.js';
import type { ColumnBatch } from './column-batch.js';
import { ProgressTracker } from './progress-tracker.js';
import { readCsvBatches } from './read-csv.js';
import { resolveSource } from './resolve-source.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-csv-'));
function source(name: string, text: string) {
  writeFileSync(join(dir, name), text);
  return resolveSource(name, { baseDir: dir });
}

async function read(name: string, text: string, worker: boolean) {
  const src = source(name, text);
  const progress = new ProgressTracker(Buffer.byteLength(text), undefined);
  const batches: ColumnBatch[] = [];
  for await (const b of readCsvBatches(src, progress, { worker })) batches.push(b);
  return { rows: batches.flatMap((b) => batchToRows(b)), batches, progress };
}

describe('readCsvBatches in a worker thread', () => {
  it('gives the same batches as scanning in this thread, with progress', async () => {
    const lines = ['id,x,label,note'];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},${(i % 97) / 8},${i % 3 ? 'a' : 'b'},"q, ${i % 5}"`);
    const text = `${lines.join('\r\n')}\r\n`;
    const here = await read('same.csv', text, false);
    const there = await read('same.csv', text, true);
    expect(there.rows).toEqual(here.rows);
    expect(there.rows).toHaveLength(30_000);
    expect(there.batches.map((b) => b.firstRow)).toEqual(here.batches.map((b) => b.firstRow));
    expect(there.progress.rows).toBe(30_000);
    expect(there.progress.bytes).toBe(Buffer.byteLength(text));
  });

  it('brings the scanner errors back from the worker, with file and line', async () => {
    await expect(read('ragged.csv', 'a,b\n1,2\n3\n', true)).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
      message: 'ragged.csv:3: ragged row: it has 1 fields, the header has 2',
    });
    await expect(read('header.csv', 'a,b\n', true)).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_EMPTY',
      message: expect.stringContaining('has a header but no data rows'),
    });
  });

  it('stops the worker when the reader stops early', async () => {
    const text = `x\n${Array.from({ length: 200_000 }, (_, i) => i).join('\n')}\n`;
    const src = source('early.csv', text);
    const progress = new ProgressTracker(Buffer.byteLength(text), undefined);
    let seen = 0;
    for await (const b of readCsvBatches(src, progress, { worker: true })) {
      seen += b.length;
      break;
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(200_000);
  });
});
