import { closeSync, openSync, readSync } from 'node:fs';
import { type Data, Type } from 'apache-arrow';
import { BufferRegion } from 'apache-arrow/ipc/metadata/message';
import { VectorLoader } from 'apache-arrow/visitor/vectorloader';
import { ByteInterner } from '../csv/byte-interner.js';
import { ColumnScratch, type ColumnVector, countTags, TAG_NULL } from '../column-vector.js';

import { readArrowInto, type VectorTarget } from './arrow-columns.js';
import { ArrowStreamIndexer, type ArrowStreamIndex } from './arrow-stream-index.js';
import type { ColumnTable } from './column-table.js';
import type { DatasetManifest } from './dataset-manifest.js';

/** One stored part of a dataset: the local file that holds it, and its bytes as a (verifying) stream. */
export interface LocalPart {
  path: string;
  bytes: AsyncIterable<Uint8Array>;
}

interface IndexedPart {
  path: string;
  rows: number;
  index: ArrowStreamIndex;
  /** Column name → its field index in the part's schema. */
  fields: Map<string, number>;
}

/**
 * A dataset's columns read straight from its Arrow IPC parts on local disk: one pass over each
 * part's bytes (the store's stream, which checks its hash) finds where every record batch's
 * buffers lie, after which a whole column is a few reads of its own buffers per batch — no copy
 * of the table in column files first (`SpilledColumns`), and memory one column (in a reusable
 * `ColumnScratch`) plus the largest batch's share of one column.
 *
 * @example
 * const table = await ArrowFileColumns.open(manifest, async (key) => ({ path: fileOf(key), bytes: await store.get(key) }));
 * try { const target = table.column('Species'); … } finally { table.close(); }
 */
export class ArrowFileColumns implements ColumnTable {
  private constructor(
    readonly names: readonly string[],
    readonly rows: number,
    private readonly parts: readonly IndexedPart[],
  ) {}

  /** The bytes of one column's share of the batch last read, reused from read to read. */
  private buffer = new Uint8Array(0);

  /** Indexes every part of `manifest` (each part's stream read to its end, so its hash is checked). */
  static async open(manifest: DatasetManifest, part: (key: string) => Promise<LocalPart>): Promise<ArrowFileColumns> {
    const parts: IndexedPart[] = [];
    for (const p of manifest.parts) {
      const local = await part(p.key);
      const indexer = new ArrowStreamIndexer(p.key);
      for await (const chunk of local.bytes) indexer.push(chunk);
      const index = indexer.finish();
      const fields = new Map(index.schema.fields.map((f, i) => [f.name, i]));
      parts.push({ path: local.path, rows: p.rows, index, fields });
    }
    return new ArrowFileColumns(manifest.columns, manifest.rows, parts);
  }

  /**
   * Every row's cell of one column (all null for an unknown name, and in a part that lacks it).
   * With `scratch`, the vector's buffers are the scratch's (valid until its next use).
   */
  column(name: string, scratch?: ColumnScratch): ColumnVector {
    const n = this.rows;
    const s = scratch ?? new ColumnScratch();
    s.reserve(n);
    const target: VectorTarget = { tags: s.tags, numbers: s.numbers, codes: s.codes, strings: new ByteInterner() };
    const counts = { nulls: 0, numberCount: 0, booleanCount: 0, stringCount: 0 };
    let at = 0;
    for (const part of this.parts) {
      const c = part.fields.get(name);
      if (c === undefined) {
        target.tags.fill(TAG_NULL, at, at + part.rows);
        counts.nulls += part.rows;
        at += part.rows;
        continue;
      }
      const field = part.index.schema.fields[c];
      const fd = openSync(part.path, 'r');
      try {
        for (const b of part.index.batches) {
          const buffers = b.buffers.slice(b.bufferStart[c], b.bufferStart[c + 1]);
          let from = Infinity;
          let to = 0;
          for (const r of buffers) {
            if (r.length === 0) continue;
            from = Math.min(from, r.offset);
            to = Math.max(to, r.offset + r.length);
          }
          if (to === 0) from = 0;
          const bytes = this.read(fd, b.bodyStart + from, to - from, part.path);
          const shifted = buffers.map((r) => new BufferRegion(r.length === 0 ? 0 : r.offset - from, r.length));
          const nodes = b.nodes.slice(b.nodeStart[c], b.nodeStart[c + 1]);
          const data = new VectorLoader(bytes, nodes, shifted, new Map(), part.index.schema.metadataVersion).visit(field!);
          readArrowInto(data, target, at);
          addCounts(counts, data, target.tags, at);
          at += b.length;
        }
      } finally {
        closeSync(fd);
      }
    }
    // what readArrowInto allocated (of the scratch's length) serves the next column too
    s.numbers = target.numbers;
    s.codes = target.codes;
    const tags = s.tags.subarray(0, n);
    return {
      length: n,
      tags,
      numbers: counts.numberCount > 0 ? (target.numbers as Float64Array).subarray(0, n) : null,
      codes: counts.stringCount > 0 ? (target.codes as Int32Array).subarray(0, n) : null,
      dictionary: target.strings.dictionary,
      ...counts,
    };
  }

  /** `length` bytes of the file from `position`, in the reused buffer (8-byte aligned, as Arrow's buffers are). */
  private read(fd: number, position: number, length: number, path: string): Uint8Array {
    if (this.buffer.length < length) this.buffer = new Uint8Array(length);
    const out = this.buffer.subarray(0, length);
    let got = 0;
    while (got < length) {
      const r = readSync(fd, out, got, length - got, position + got);
      if (r === 0) throw new Error(`${path} ended before the record batch it indexed (at byte ${position + got})`);
      got += r;
    }
    return out;
  }

  /** Nothing to remove: the parts belong to the store. */
  close(): void {}
}

/**
 * Adds the kinds of the cells `readArrowInto` just wrote from `d` (at `tags[at…]`): from the
 * field node's null count for a column of one kind, from the tags for a mixed (union) one.
 */
function addCounts(
  counts: { nulls: number; numberCount: number; booleanCount: number; stringCount: number },
  d: Data,
  tags: Uint8Array,
  at: number,
): void {
  const n = d.length;
  const valid = n - d.nullCount;
  switch (d.typeId) {
    case Type.Int:
    case Type.Float:
      counts.numberCount += valid;
      break;
    case Type.Bool:
      counts.booleanCount += valid;
      break;
    case Type.Utf8:
      counts.stringCount += valid;
      break;
    case Type.Null:
      break;
    default: {
      const c = countTags(tags.subarray(at, at + n), n);
      counts.numberCount += c.numberCount;
      counts.booleanCount += c.booleanCount;
      counts.stringCount += c.stringCount;
      counts.nulls += c.nulls;
      return;
    }
  }
  counts.nulls += n - (d.typeId === Type.Null ? 0 : valid);
}
