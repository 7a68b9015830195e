import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Row } from '../../types.js';
import { rowsToBatches } from '../rows-to-batches.js';
import { cellAt, ColumnScratch, type ColumnVector, countTags } from '../column-vector.js';
import { ArrowFileColumns } from './arrow-file-columns.js';
import { ArrowStreamIndexer } from './arrow-stream-index.js';
import type { DatasetManifest } from './dataset-manifest.js';
import { writeDataset } from './write-dataset.js';
import { EVERY_CELL_KIND } from './every-cell-kind-rows.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes `rows` as a dataset whose parts are files, and opens it (streamed in chunks of 777 bytes). */
async function stored(rows: Row[], batchRows: number, sniffCells?: number): Promise<{ manifest: DatasetManifest; table: ArrowFileColumns }> {
  const dir = mkdtempSync(join(tmpdir(), 'myelin-arrow-columns-'));
  dirs.push(dir);
  const files = new Map<string, Buffer>();
  const manifest = await writeDataset(
    rowsToBatches(rows, batchRows),
    async (bytes) => {
      const chunks: Uint8Array[] = [];
      for await (const c of bytes) chunks.push(c);
      const key = `part-${files.size}`;
      files.set(key, Buffer.concat(chunks));
      writeFileSync(join(dir, key), files.get(key) as Buffer);
      return key;
    },
    sniffCells !== undefined ? { sniffCells } : {},
  );
  const table = await ArrowFileColumns.open(manifest, async (key) => ({
    path: join(dir, key),
    bytes: (async function* () {
      const b = files.get(key) as Buffer;
      for (let i = 0; i < b.length; i += 777) yield b.subarray(i, i + 777);
    })(),
  }));
  return { manifest, table };
}

const cells = (v: ColumnVector) => Array.from({ length: v.length }, (_, i) => cellAt(v, i));

const table = EVERY_CELL_KIND;

describe('ArrowFileColumns', () => {
  it('gives back each whole column of a many-batch part, in a reused scratch, all null for an unknown name', async () => {
    const { table: t } = await stored(table, 128);
    expect(t.rows).toBe(1000);
    expect(t.names).toEqual(Object.keys(table[0]!));
    const scratch = new ColumnScratch();
    for (const name of t.names) {
      const v = t.column(name, scratch);
      expect(cells(v)).toEqual(table.map((r) => r[name]));
      const { nulls, numberCount, booleanCount, stringCount } = v;
      expect({ nulls, numberCount, booleanCount, stringCount }).toEqual(countTags(v.tags, v.length));
    }
    expect(Object.is(cellAt(t.column('float'), 4), -0)).toBe(true);
    // one dictionary for the whole column, not one per batch
    const dictionary = t.column('text').dictionary;
    expect(new Set(dictionary).size).toBe(dictionary.length);
    expect(dictionary.filter((s) => s.startsWith('välue'))).toHaveLength(13);
    expect(t.column('nope').nulls).toBe(1000);
  });

  it('reads across parts: a column widened in a later part, and one the first part lacks', async () => {
    const rows: Row[] = [
      ...table.slice(0, 300),
      ...table.slice(300).map((r, i): Row => ({ ...r, int: i === 5 ? 'five' : (r.int ?? null), late: i % 2 ? 'x' : 2.5 })),
    ];
    const { manifest, table: t } = await stored(rows, 100, 600);
    expect(manifest.parts.length).toBeGreaterThan(1);
    for (const name of [...Object.keys(table[0]!), 'late', 'nope']) {
      const v = t.column(name);
      expect(cells(v)).toEqual(rows.map((r) => r[name] ?? null));
      const { nulls, numberCount, booleanCount, stringCount } = v;
      expect({ nulls, numberCount, booleanCount, stringCount }).toEqual(countTags(v.tags, v.length));
    }
  });
});

describe('ArrowStreamIndexer', () => {
  it('refuses a part that ends inside a message', async () => {
    const chunks: Uint8Array[] = [];
    await writeDataset(rowsToBatches(table, 500), async (bytes) => {
      for await (const c of bytes) chunks.push(c);
      return 'part-0';
    });
    const whole = Buffer.concat(chunks);
    const indexer = new ArrowStreamIndexer('part-0');
    indexer.push(whole.subarray(0, whole.length - 100));
    expect(() => indexer.finish()).toThrow(/part-0 is not an Arrow IPC stream a dataset part holds: it ends inside a message/);
    const full = new ArrowStreamIndexer('part-0');
    full.push(whole);
    expect(full.finish().batches.map((b) => b.length)).toEqual([500, 500]);
  });
});
