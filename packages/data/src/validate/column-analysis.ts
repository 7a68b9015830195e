import { type ColumnVector, TAG_NULL, TAG_NUMBER, TAG_STRING, TAG_TRUE } from '../io/column-vector.js';
import { ColumnProfiler } from '../profile/column-profiler.js';
import type { NumberHashes } from '../profile/value-counter.js';
import { fmix32, hashCell } from '../profile/hash-cell.js';
import { CATEGORY_MAX_DISTINCT, inferColumnType, type KindTally } from '../schema/column-inferrer.js';
import { valueKind, type ValueKind } from '../schema/value-kind.js';
import type { ColumnSchema, ColumnType } from '../types.js';
import type { ColumnRule } from './analyze-options.js';
import { Tally } from './tally.js';

const EXAMPLES = 5;
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const NULL_H0 = 0x27d4eb2f;
const NULL_H1 = 0x165667b1;
/** The trues and falses `mixedRows` counted. */
const BOOLEANS = new Float64Array(2);
/** The hashes of the number 0 (and -0), as the loop below computes them. */
F64[0] = 0;
const ZERO_H0 = fmix32((U32[0] as number) ^ Math.imul(U32[1] as number, 0x9e3779b1) ^ 0x1234567);
const ZERO_H1 = fmix32((U32[1] as number) ^ Math.imul(U32[0] as number, 0x85ebca77) ^ 0x7654321);

/** The kinds a cell can be, in the order `kinds` lists them when they appear in the same row. */
const KINDS: readonly ValueKind[] = ['integer', 'number', 'nonFinite', 'boolean', 'datetime', 'string'];
const K_INTEGER = 0;
const K_NUMBER = 1;
const K_NONFINITE = 2;
const K_BOOLEAN = 3;
const K_DATETIME = 4;
const K_STRING = 5;

/**
 * Everything one pass tracks for one column, fed a column vector per batch: the kinds of values
 * (with example rows, for type inference and type anomalies), the profile (`ColumnProfiler`),
 * and the rows that break the column's rules (nulls, range, domain). It also folds each cell's
 * hash into the per-row hashes of the duplicate check.
 */
export class ColumnAnalysis {
  readonly profiler: ColumnProfiler;
  readonly nulls = new Tally();
  readonly range = new Tally();
  readonly domain = new Tally();
  private readonly kindCount = new Float64Array(KINDS.length);
  private readonly kindFirst = new Float64Array(KINDS.length).fill(Infinity);
  private readonly kindExamples: number[][] = KINDS.map(() => []);
  private readonly domainSet: Set<string> | undefined;
  private readonly min: number;
  private readonly max: number;
  private scratch = new Float64Array(0);
  /** The hashes of the finite values in `scratch`, when kept (see `observeNumbers`). */
  private finiteHashes: NumberHashes = { h0: new Int32Array(0), h1: new Int32Array(0) };
  private readonly h = new Uint32Array(2);

  constructor(
    readonly name: string,
    readonly rule: ColumnRule,
  ) {
    this.profiler = new ColumnProfiler(name);
    // the buffers stored a second time (a longer batch stores them again) before any code is
    // optimised: V8 treats a field stored only once as a constant, and the first new buffer then
    // dropped the optimised row loops mid-file
    this.scratch = new Float64Array(0);
    this.finiteHashes = { h0: new Int32Array(0), h1: new Int32Array(0) };
    this.domainSet = rule.values ? new Set(rule.values) : undefined;
    this.min = rule.min ?? -Infinity;
    this.max = rule.max ?? Infinity;
  }

  /**
   * Feeds the vector of one batch whose first row is data row `firstRow`; folds each cell's hashes
   * into `ha`/`hb` (one entry per row of the batch) when given.
   */
  observe(v: ColumnVector, firstRow: number, ha: Int32Array | undefined, hb: Int32Array | undefined): void {
    if (v.stringCount === 0 && v.booleanCount === 0) this.observeNumbers(v, firstRow, ha, hb);
    else this.observeMixed(v, firstRow, ha, hb);
  }

  /** `observe` for a vector of numbers and nulls only: the common case, in one tight loop. */
  private observeNumbers(
    v: ColumnVector,
    firstRow: number,
    ha: Int32Array | undefined,
    hb: Int32Array | undefined,
  ): void {
    const n = v.length;
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
    // past the exact counts, the finite values' hashes are kept for the HyperLogLog
    const keep = ha !== undefined && hb !== undefined && this.profiler.values.approximate;
    if (keep && this.finiteHashes.h0.length < n)
      this.finiteHashes = { h0: new Int32Array(n), h1: new Int32Array(n) };
    const k = this.numberRows(v, firstRow, ha, hb, keep);
    if (k > 0) this.profiler.addFiniteNumbers(this.scratch, k, keep ? this.finiteHashes : undefined);
  }

  /**
   * `observeNumbers`' loop over the rows: the finite numbers go to `scratch` (their count is
   * returned; with `keep`, their hashes to `finiteHashes`), integers and fractions are counted in
   * `kindCount`. It returns right after its loop: V8 compiles the loop on the stack (OSR), and
   * code after it that had not run yet made that compiled loop bail out and be recompiled.
   */
  private numberRows(
    v: ColumnVector,
    firstRow: number,
    ha: Int32Array | undefined,
    hb: Int32Array | undefined,
    keep: boolean,
  ): number {
    const n = v.length;
    const tags = v.tags;
    const numbers = v.numbers ?? new Float64Array(0);
    const finite = this.scratch;
    let k = 0;
    const counts = this.kindCount;
    const lo = this.min;
    const hi = this.max;
    const checkRange = lo !== -Infinity || hi !== Infinity;
    const plain = !checkRange && this.domainSet === undefined;
    const hashes = ha !== undefined && hb !== undefined;
    const fh0 = this.finiteHashes.h0;
    const fh1 = this.finiteHashes.h1;
    // the hashes of the last number (runs of one value, such as zeros, hash once)
    let lastX = NaN;
    let lastH0 = 0;
    let lastH1 = 0;
    for (let i = 0; i < n; i++) {
      let h0: number;
      let h1: number;
      if (tags[i] === TAG_NULL) {
        this.nulls.add(firstRow + i);
        h0 = NULL_H0;
        h1 = NULL_H1;
      } else {
        const x = numbers[i] as number;
        const isFinite = x - x === 0;
        if (isFinite) {
          finite[k++] = x;
          if (Math.floor(x) === x) {
            if ((counts[K_INTEGER] as number)++ < EXAMPLES) this.example(K_INTEGER, firstRow + i);
          } else if ((counts[K_NUMBER] as number)++ < EXAMPLES) this.example(K_NUMBER, firstRow + i);
        } else {
          this.nonFinite(x, firstRow + i);
        }
        if (!plain) this.checkNumber(x, firstRow + i);
        if (!hashes) continue;
        if (x === lastX) {
          h0 = lastH0;
          h1 = lastH1;
        } else if (x === 0) {
          h0 = ZERO_H0;
          h1 = ZERO_H1;
        } else {
          F64[0] = x === 0 ? 0 : x;
          const a = U32[0] as number;
          const b = U32[1] as number;
          h0 = lastH0 = fmix32(a ^ Math.imul(b, 0x9e3779b1) ^ 0x1234567);
          h1 = lastH1 = fmix32(b ^ Math.imul(a, 0x85ebca77) ^ 0x7654321);
          lastX = x;
        }
        if (keep && isFinite) {
          fh0[k - 1] = h0;
          fh1[k - 1] = h1;
        }
      }
      if (!hashes) continue;
      let a = Math.imul((ha[i] as number) ^ h0, 0x9e3779b1);
      ha[i] = (a << 13) | (a >>> 19);
      a = Math.imul((hb[i] as number) ^ h1, 0x85ebca77);
      hb[i] = (a << 17) | (a >>> 15);
    }
    return k;
  }

  private nonFinite(x: number, row: number): void {
    this.profiler.count++;
    this.profiler.nonFinite++;
    this.profiler.values.addNumber(x);
    if ((this.kindCount[K_NONFINITE] as number)++ < EXAMPLES) this.example(K_NONFINITE, row);
  }

  private checkNumber(x: number, row: number): void {
    if (x < this.min || x > this.max) this.range.add(row);
    if (this.domainSet && !this.domainSet.has(String(x))) this.domain.add(row);
  }

  /** `observe` for any vector. */
  private observeMixed(
    v: ColumnVector,
    firstRow: number,
    ha: Int32Array | undefined,
    hb: Int32Array | undefined,
  ): void {
    if (this.scratch.length < v.length) this.scratch = new Float64Array(v.length);
    // per dictionary entry: kind, domain verdict, hashes
    const strings = v.stringCount > 0 ? this.dictionaryFacts(v, ha !== undefined) : undefined;
    BOOLEANS[0] = 0;
    BOOLEANS[1] = 0;
    const k = this.mixedRows(v, firstRow, ha, hb, strings);
    if (k > 0) this.profiler.addFiniteNumbers(this.scratch, k);
    const trues = BOOLEANS[0] as number;
    const falses = BOOLEANS[1] as number;
    if (trues > 0) this.profiler.addOther(true, trues);
    if (falses > 0) this.profiler.addOther(false, falses);
    if (strings) this.addStrings(v.dictionary, strings, ha !== undefined);
  }

  /**
   * `observeMixed`'s loop over the rows: the finite numbers go to `scratch` (their count is
   * returned), the trues and falses are counted in `BOOLEANS`. It returns right after its loop:
   * V8 compiles the loop on the stack (OSR), and code after it that had not run yet made that
   * compiled loop bail out and the whole method be recompiled.
   */
  private mixedRows(
    v: ColumnVector,
    firstRow: number,
    ha: Int32Array | undefined,
    hb: Int32Array | undefined,
    strings: DictionaryFacts | undefined,
  ): number {
    const n = v.length;
    const tags = v.tags;
    const numbers = v.numbers;
    const finite = this.scratch;
    let k = 0;
    const counts = this.kindCount;
    const examples = this.kindExamples;
    const lo = this.min;
    const hi = this.max;
    const checkRange = lo !== -Infinity || hi !== Infinity;
    const domainSet = this.domainSet;
    for (let i = 0; i < n; i++) {
      const tag = tags[i];
      let h0: number;
      let h1: number;
      if (tag === TAG_NUMBER) {
        const x = (numbers as Float64Array)[i] as number;
        let kind: number;
        if (x - x === 0) {
          finite[k++] = x;
          kind = Math.floor(x) === x ? K_INTEGER : K_NUMBER;
          if (checkRange && (x < lo || x > hi)) this.range.add(firstRow + i);
        } else {
          kind = K_NONFINITE;
          this.profiler.count++;
          this.profiler.nonFinite++;
          this.profiler.values.addNumber(x);
          if (checkRange && (x < lo || x > hi)) this.range.add(firstRow + i);
        }
        (counts[kind] as number)++;
        if ((examples[kind] as number[]).length < EXAMPLES) this.example(kind, firstRow + i);
        if (domainSet && !domainSet.has(String(x))) this.domain.add(firstRow + i);
        if (ha === undefined) continue;
        F64[0] = x === 0 ? 0 : x;
        const a = U32[0] as number;
        const b = U32[1] as number;
        h0 = fmix32(a ^ Math.imul(b, 0x9e3779b1) ^ 0x1234567);
        h1 = fmix32(b ^ Math.imul(a, 0x85ebca77) ^ 0x7654321);
      } else if (tag === TAG_STRING) {
        const code = (v.codes as Int32Array)[i] as number;
        const facts = strings as DictionaryFacts;
        (facts.counts[code] as number)++;
        const kind = facts.kind[code] as number;
        (counts[kind] as number)++;
        if ((examples[kind] as number[]).length < EXAMPLES) this.example(kind, firstRow + i);
        if (facts.outside[code] === 1) this.domain.add(firstRow + i);
        if (ha === undefined) continue;
        h0 = facts.h0[code] as number;
        h1 = facts.h1[code] as number;
      } else if (tag === TAG_NULL) {
        this.nulls.add(firstRow + i);
        if (ha === undefined) continue;
        h0 = NULL_H0;
        h1 = NULL_H1;
      } else {
        const t = tag === TAG_TRUE;
        (BOOLEANS[t ? 0 : 1] as number)++;
        (counts[K_BOOLEAN] as number)++;
        if ((examples[K_BOOLEAN] as number[]).length < EXAMPLES) this.example(K_BOOLEAN, firstRow + i);
        if (domainSet && !domainSet.has(String(t))) this.domain.add(firstRow + i);
        if (ha === undefined) continue;
        hashCell(t, this.h);
        h0 = this.h[0] as number;
        h1 = this.h[1] as number;
      }
      let a = Math.imul((ha[i] as number) ^ h0, 0x9e3779b1);
      ha[i] = (a << 13) | (a >>> 19);
      a = Math.imul((hb as Int32Array)[i]! ^ h1, 0x85ebca77);
      (hb as Int32Array)[i] = (a << 17) | (a >>> 15);
    }
    return k;
  }

  /** Adds each string of a vector's dictionary that its rows hold, with its count (and hashes). */
  private addStrings(dict: readonly string[], strings: DictionaryFacts, hashed: boolean): void {
    for (let c = 0; c < dict.length; c++) {
      const m = strings.counts[c] as number;
      if (m === 0) continue;
      if (hashed) this.profiler.addOther(dict[c] as string, m, strings.h0[c], strings.h1[c]);
      else this.profiler.addOther(dict[c] as string, m);
    }
  }

  /** Non-null values by kind, with up to 5 example rows, in order of first appearance. */
  kinds(): Map<ValueKind, KindTally> {
    const order = KINDS.map((_, i) => i)
      .filter((i) => (this.kindCount[i] as number) > 0)
      .sort((a, b) => (this.kindFirst[a] as number) - (this.kindFirst[b] as number));
    return new Map(
      order.map((i) => [
        KINDS[i] as ValueKind,
        { count: this.kindCount[i] as number, exampleRows: [...(this.kindExamples[i] as number[])] },
      ]),
    );
  }

  /**
   * The column as inferred from the values seen (see `ColumnInferrer`): type, nullability, range,
   * and the sorted domain of a category.
   */
  inferred(rows: number): ColumnSchema {
    const { profiler } = this;
    const count = (kind: ValueKind): number => this.kindCount[KINDS.indexOf(kind)] ?? 0;
    const domain = this.domainText();
    const type: ColumnType = inferColumnType(count, profiler.count, domain ? domain.length : Infinity);
    const col: ColumnSchema = { name: this.name, type, nullable: profiler.count < rows };
    const { stats } = profiler;
    if ((type === 'number' || type === 'integer') && stats.min <= stats.max) {
      col.min = stats.min;
      col.max = stats.max;
    }
    if (type === 'category' && domain) col.values = domain;
    return col;
  }

  /** The distinct values as text, sorted; undefined when more than 50 (or too many to count). */
  private domainText(): string[] | undefined {
    const values = this.profiler.values;
    if (values.approximate) return undefined;
    const set = new Set<string>();
    for (const [v] of values.entries()) {
      set.add(String(v));
      if (set.size > CATEGORY_MAX_DISTINCT) return undefined;
    }
    return [...set].sort();
  }

  private example(kind: number, row: number): void {
    (this.kindExamples[kind] as number[]).push(row);
    if (row < (this.kindFirst[kind] as number)) this.kindFirst[kind] = row;
  }

  private dictionaryFacts(v: ColumnVector, hashes: boolean): DictionaryFacts {
    const dict = v.dictionary;
    const n = dict.length;
    const facts: DictionaryFacts = {
      counts: new Int32Array(n),
      kind: new Uint8Array(n),
      outside: new Uint8Array(n),
      h0: new Int32Array(hashes ? n : 0),
      h1: new Int32Array(hashes ? n : 0),
    };
    for (let c = 0; c < n; c++) {
      const s = dict[c] as string;
      facts.kind[c] = valueKind(s) === 'datetime' ? K_DATETIME : K_STRING;
      if (this.domainSet && !this.domainSet.has(s)) facts.outside[c] = 1;
      if (hashes) {
        hashCell(s, this.h);
        facts.h0[c] = this.h[0] as number;
        facts.h1[c] = this.h[1] as number;
      }
    }
    return facts;
  }
}

interface DictionaryFacts {
  counts: Int32Array;
  kind: Uint8Array;
  outside: Uint8Array;
  h0: Int32Array;
  h1: Int32Array;
}
