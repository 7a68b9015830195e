import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { ColumnVector } from '../column-vector.js';
import { isoFromMillis } from '../iso-from-millis.js';
import { parquetCompressors } from '../parquet-compressors.js';
import { readColumnBatches } from '../read-rows.js';
import { resolveSource } from '../resolve-source.js';
import { vectorFromValues } from '../vector-from-values.js';
import { decodeRleHybrid } from './rle-hybrid.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..', '..');

describe('decodeRleHybrid', () => {
  it('decodes a run and a bit-packed group of 3-bit values', () => {
    // run of 4 × 5 (header 4<<1 = 8, value byte 5), then one bit-packed group (header 1<<1|1 = 3)
    // of 0..7 in 3 bits, LSB first: 0b10001000, 0b11000110, 0b11111010
    const bytes = new Uint8Array([8, 5, 3, 0x88, 0xc6, 0xfa]);
    const out = new Int32Array(12);
    decodeRleHybrid(bytes, 0, bytes.length, 3, 12, out);
    expect([...out]).toEqual([5, 5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('says where the data ends when runs are short', () => {
    const out = new Int32Array(10);
    expect(() => decodeRleHybrid(new Uint8Array([8, 5]), 0, 2, 3, 10, out)).toThrow(
      /ends after 4 of 10 values/,
    );
  });
});

describe('the flat Parquet reader', () => {
  it("gives flights-3m.parquet's first row group exactly as hyparquet's decoded values would", async () => {
    const src = resolveSource('npm:vega-datasets/data/flights-3m.parquet', { baseDir: repoRoot });
    const file = await asyncBufferFromFile(src.path);
    const metadata = await parquetMetadataAsync(file);
    const rows = Number(metadata.row_groups[0]?.num_rows);
    const expected = new Map<string, unknown[]>();
    await parquetRead({
      file,
      metadata,
      rowStart: 0,
      rowEnd: rows,
      compressors: await parquetCompressors(),
      parsers: { timestampFromMicroseconds: (v) => isoFromMillis(Number(v / 1000n)) },
      onChunk: (c) => {
        const list = expected.get(c.columnName) ?? [];
        for (let i = 0; i < c.columnData.length; i++) list[c.rowStart + i] = c.columnData[i];
        expected.set(c.columnName, list);
      },
    });
    let seen = 0;
    for await (const batch of readColumnBatches(src)) {
      if (seen >= rows) break;
      batch.names.forEach((name, j) => {
        const values = expected.get(name) ?? [];
        const want: ColumnVector = vectorFromValues(values, seen, seen + batch.length);
        expect(batch.columns[j]).toEqual(want);
      });
      seen += batch.length;
    }
    expect(seen).toBe(rows);
  }, 60_000);
});
