import { Float64, Int32, type SparseUnion, tableFromIPC, UnionMode, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../types.js';
import { batchToRows } from '../batch-to-rows.js';
import type { ColumnBatch } from '../column-batch.js';
import { rowsToBatches } from '../rows-to-batches.js';
import { cellAt, ColumnScratch } from '../column-vector.js';
import { readDataset, readDatasetBytes } from './read-dataset.js';
import { SpilledColumns } from './spilled-columns.js';
import { writeDataset } from './write-dataset.js';
import { EVERY_CELL_KIND } from './every-cell-kind-rows.js';

/** An in-memory part store: key → bytes. */
function memoryParts() {
  const parts = new Map<string, Uint8Array>();
  return {
    parts,
    put: async (bytes: AsyncIterable<Uint8Array>): Promise<string> => {
      const chunks: Uint8Array[] = [];
      for await (const c of bytes) chunks.push(c);
      const key = `part-${parts.size}`;
      parts.set(key, Buffer.concat(chunks));
      return key;
    },
    /** The part's bytes in small chunks, as a store's stream gives them. */
    open: async (key: string): Promise<AsyncIterable<Uint8Array>> =>
      (async function* () {
        const bytes = parts.get(key) as Uint8Array;
        for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
      })(),
  };
}

async function collect(batches: AsyncIterable<ColumnBatch> | Iterable<ColumnBatch>): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const b of batches) rows.push(...batchToRows(b));
  return rows;
}

const table = EVERY_CELL_KIND;

describe('dataset artifacts (Arrow IPC parts)', () => {
  it('round-trips every kind of cell, batch by batch and from memory', async () => {
    const m = memoryParts();
    const manifest = await writeDataset(rowsToBatches(table, 128), m.put);
    expect(manifest).toMatchObject({ format: 'myelin-dataset', version: 1, rows: 1000, columns: Object.keys(table[0]!) });
    expect(manifest.parts).toHaveLength(1);
    const back = await collect(readDataset(manifest, m.open));
    expect(back).toEqual(table);
    expect(Object.is(back[4]!.float, -0)).toBe(true);
    expect(await collect(readDatasetBytes(manifest, [...m.parts.values()]))).toEqual(table);
  });

  it('writes standard Arrow streams: narrow types, nulls as Arrow nulls', async () => {
    const m = memoryParts();
    await writeDataset(rowsToBatches(table, 300), m.put);
    const t = tableFromIPC(m.parts.get('part-0') as Uint8Array);
    expect(t.numRows).toBe(1000);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual([
      String(new Int32()),
      String(new Float64()),
      'Bool',
      String(new Utf8()),
      'Union<Float64 | Bool | Utf8>',
      'Null',
    ]);
    expect(t.getChild('int')?.get(1)).toBe(-499);
    expect(t.getChild('int')?.get(0)).toBeNull();
    expect(t.getChild('text')?.get(1)).toBe('välue 1');
    expect((t.schema.fields[4]?.type as SparseUnion).mode).toBe(UnionMode.Sparse);
  });

  it('starts a new part when a later batch needs a wider type or brings a new column', async () => {
    const rows: Row[] = [
      ...Array.from({ length: 50 }, (_, i) => ({ a: i, b: null })),
      ...Array.from({ length: 50 }, (_, i) => ({ a: i + 0.5, b: 'x' })),
      ...Array.from({ length: 50 }, (_, i) => ({ a: 'text', b: 'y', c: i })),
    ];
    const m = memoryParts();
    const manifest = await writeDataset(rowsToBatches(rows, 25), m.put, { sniffCells: 50 });
    expect(manifest.parts.map((p) => p.rows)).toEqual([50, 50, 50]);
    expect(manifest.columns).toEqual(['a', 'b', 'c']);
    const back = await collect(readDataset(manifest, m.open));
    expect(back).toEqual(rows.map((r) => ({ a: r.a, b: r.b, c: r.c ?? null })));
    expect(String(tableFromIPC(m.parts.get('part-1') as Uint8Array).schema.fields[0]?.type)).toBe(String(new Float64()));
  });

  it('writes one empty part for an empty table', async () => {
    const m = memoryParts();
    const manifest = await writeDataset([], m.put);
    expect(manifest).toMatchObject({ rows: 0, parts: [{ rows: 0 }] });
    expect(await collect(readDataset(manifest, m.open))).toEqual([]);
  });
});

describe('SpilledColumns', () => {
  it('gives back each whole column, null before a column first appears, all null for an unknown name', async () => {
    const rows: Row[] = [...table.slice(0, 300), ...table.slice(300).map((r, i) => ({ ...r, late: i % 2 ? 'x' : 2.5 }))];
    const spilled = await SpilledColumns.from(rowsToBatches(rows, 128));
    try {
      expect(spilled.rows).toBe(1000);
      expect(spilled.names).toEqual([...Object.keys(table[0]!), 'late']);
      const scratch = new ColumnScratch();
      for (const name of spilled.names) {
        const v = spilled.column(name, scratch);
        expect(Array.from({ length: v.length }, (_, i) => cellAt(v, i))).toEqual(rows.map((r) => r[name] ?? null));
      }
      expect(spilled.column('nope').nulls).toBe(1000);
    } finally {
      spilled.close();
    }
  });

  it('keeps every cell of many small batches (more pieces than one vectored write takes)', async () => {
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({
      n: i % 7 === 0 ? null : i / 4,
      s: i % 5 === 0 ? null : `s${i % 13}`,
      b: i % 2 === 0,
    }));
    const spilled = await SpilledColumns.from(rowsToBatches(rows, 2));
    try {
      expect(spilled.rows).toBe(3000);
      for (const name of ['n', 's', 'b']) {
        const v = spilled.column(name);
        expect(Array.from({ length: v.length }, (_, i) => cellAt(v, i))).toEqual(rows.map((r) => r[name]));
      }
    } finally {
      spilled.close();
    }
  });
});
