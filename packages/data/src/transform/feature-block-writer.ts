import type { ColumnVector } from '../io/column-vector.js';
import type { FittedFeature, FittedPreprocessor, PreprocessConfig } from './preprocess-config.js';
import { writeColumnFeature } from './write-column-features.js';

/** One matrix the writer fills: output row k is vector row `rows[k]`. */
export interface FeatureMatrix {
  rows: ArrayLike<number>;
  /** Row-major, `rows.length × width` floats. */
  out: Float32Array;
}

/** Consecutive features grouped so that each group spans at most `width` output columns (or is one feature). */
export function featureBlocks(spans: readonly number[], width: number): number[][] {
  const blocks: number[][] = [];
  let current: number[] = [];
  let span = 0;
  spans.forEach((w, i) => {
    if (current.length > 0 && span + w > width) {
      blocks.push(current);
      current = [];
      span = 0;
    }
    current.push(i);
    span += w;
  });
  if (current.length > 0) blocks.push(current);
  return blocks;
}

/**
 * Writes fitted features into row-major matrices one feature at a time, in feature order, as
 * they are fitted (see `fitPreprocessorColumns`' `onFeature`), each from its whole column. With
 * `blockWidth` > 1, consecutive features are first written into a narrow row-major block of at
 * most that many output columns, and the block into the matrices row by row once its last
 * feature came — writing a wide matrix one column at a time misses the cache on every value. The
 * values are `writeColumnFeature`'s, so the matrices equal `transformBatch` of the same records.
 *
 * @example
 * const w = new FeatureBlockWriter(config, width, spans, [{ rows, out }], 64);
 * fitPreprocessorColumns(trainColumn, opts, (f) => w.write(f, wholeColumn(f.name)));
 */
export class FeatureBlockWriter {
  private readonly fp: FittedPreprocessor;
  private readonly blockOf: number[];
  private readonly blocks: number[][];
  /** Per block, the output columns it spans. */
  private readonly blockSpans: number[];
  /** Per matrix, the block being filled (reused from block to block: every value is written). */
  private readonly tmp: Float32Array[];
  private next = 0;
  private blockStart = 0;

  constructor(
    config: PreprocessConfig,
    private readonly width: number,
    spans: readonly number[],
    private readonly matrices: readonly FeatureMatrix[],
    blockWidth: number,
  ) {
    // writeColumnFeature reads only the configuration of the preprocessor (and the width given)
    this.fp = { version: 1, config, features: [], outputNames: [], width };
    this.blocks = featureBlocks(spans, blockWidth);
    this.blockSpans = this.blocks.map((b) => b.reduce((s, i) => s + (spans[i] as number), 0));
    this.blockOf = [];
    this.blocks.forEach((b, bi) => b.forEach(() => this.blockOf.push(bi)));
    let widest = 0;
    this.blocks.forEach((b, bi) => {
      if (b.length > 1) widest = Math.max(widest, this.blockSpans[bi] as number);
    });
    this.tmp = matrices.map((m) => new Float32Array(widest > 0 ? m.rows.length * widest : 0));
  }

  /** Writes the next feature (in feature order) from its whole column. */
  write(feature: FittedFeature, column: ColumnVector): void {
    const fi = this.next++;
    const bi = this.blockOf[fi] as number;
    const block = this.blocks[bi] as number[];
    if (block.length === 1) {
      for (const m of this.matrices) writeColumnFeature(this.fp, feature, column, m.out, { rows: m.rows, stride: this.width });
      return;
    }
    if (fi === block[0]) this.blockStart = feature.offset;
    const span = this.blockSpans[bi] as number;
    this.matrices.forEach((m, p) =>
      writeColumnFeature(this.fp, feature, column, this.tmp[p] as Float32Array, {
        rows: m.rows,
        stride: span,
        offset: feature.offset - this.blockStart,
      }),
    );
    if (fi !== block[block.length - 1]) return;
    const cols = this.width;
    this.matrices.forEach((m, p) => {
      const x = m.out;
      const t = this.tmp[p] as Float32Array;
      // value by value: a subarray a row costs more than the copy of its span
      const n = m.rows.length;
      for (let k = 0, from = 0, to = this.blockStart; k < n; k++, to += cols - span)
        for (let j = 0; j < span; j++) x[to++] = t[from++] as number;
    });
  }
}
