import type { Cell, ColumnSchema, ColumnType } from '../types.js';
import type { ValueKind } from './value-kind.js';

/** A column is a `category` when it has at most this many distinct values… */
export const CATEGORY_MAX_DISTINCT = 50;
/** …and at most this fraction of its non-null values are distinct (so ids and free text stay `string`). */
export const CATEGORY_MAX_DISTINCT_FRACTION = 0.5;
const EXAMPLES = 5;

/** Count and first few row numbers of one kind of value seen in a column. */
export interface KindTally {
  count: number;
  exampleRows: number[];
}

/**
 * Infers the type of one column from the values fed to it, with constant memory.
 *
 * The type is the majority kind among non-null values: numbers (integer when no value has a
 * fraction; NaN/±Infinity count as numbers), booleans, ISO-8601 datetimes, or strings; ties go to
 * string, then number, datetime, boolean. A string column is a `category` when it has at most
 * 50 distinct values and at most 50% of its non-null values are distinct. Values of other kinds
 * are kept as counts with up to 5 example rows each (`kinds`), which validation reports as
 * `type` anomalies. `string` and `category` accept every kind (CSV cannot tell "1" from 1).
 */
export class ColumnInferrer {
  nonNull = 0;
  min = Infinity;
  max = -Infinity;
  readonly kinds = new Map<ValueKind, KindTally>();
  /** Distinct values as text, kept only up to CATEGORY_MAX_DISTINCT + 1. */
  private readonly domain = new Set<string>();
  private domainFull = false;

  constructor(readonly name: string) {}

  /** Feeds one value of kind `kind` found on 1-based data row `row`. */
  observe(v: Cell, kind: ValueKind, row: number): void {
    if (kind === 'null') return;
    this.nonNull++;
    let t = this.kinds.get(kind);
    if (!t) this.kinds.set(kind, (t = { count: 0, exampleRows: [] }));
    t.count++;
    if (t.exampleRows.length < EXAMPLES) t.exampleRows.push(row);
    if (kind === 'integer' || kind === 'number') {
      const x = v as number;
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
    }
    if (!this.domainFull) {
      this.domain.add(String(v));
      if (this.domain.size > CATEGORY_MAX_DISTINCT) {
        this.domainFull = true;
        this.domain.clear();
      }
    }
  }

  /** The inferred type. */
  type(): ColumnType {
    return inferColumnType((k) => this.kinds.get(k)?.count ?? 0, this.nonNull, this.domainFull ? Infinity : this.domain.size);
  }

  /** The column's schema in a table of `rows` rows: type, nullability, range or domain seen. */
  finish(rows: number): ColumnSchema {
    const type = this.type();
    const col: ColumnSchema = { name: this.name, type, nullable: this.nonNull < rows };
    if ((type === 'number' || type === 'integer') && this.min <= this.max) {
      col.min = this.min;
      col.max = this.max;
    }
    if (type === 'category') col.values = [...this.domain].sort();
    return col;
  }
}

/**
 * The type rule of `ColumnInferrer`: the majority kind among non-null values (`count(kind)`),
 * ties to string, then number, datetime, boolean; integer when no number has a fraction; text is a
 * `category` when it has at most 50 distinct values (`distinct`, as text; Infinity for "more than
 * anyone counted") and at most half of its non-null values are distinct.
 */
export function inferColumnType(count: (kind: ValueKind) => number, nonNull: number, distinct: number): ColumnType {
  const numeric = count('integer') + count('number') + count('nonFinite');
  const candidates: [ColumnType | 'text', number][] = [
    ['text', count('string')],
    ['number', numeric],
    ['datetime', count('datetime')],
    ['boolean', count('boolean')],
  ];
  let best = candidates[0] as [ColumnType | 'text', number];
  for (const c of candidates) if (c[1] > best[1]) best = c;
  if (best[0] === 'number') return count('number') === 0 && count('integer') > 0 ? 'integer' : 'number';
  if (best[0] === 'text') {
    const isCategory =
      nonNull > 0 && distinct <= CATEGORY_MAX_DISTINCT && distinct <= nonNull * CATEGORY_MAX_DISTINCT_FRACTION;
    return isCategory ? 'category' : 'string';
  }
  return best[0];
}

/** True when a value of `kind` fits a column of `type` (nulls always fit; nullability is its own rule). */
export function kindFitsType(kind: ValueKind, type: ColumnType): boolean {
  switch (type) {
    case 'number':
      return kind === 'integer' || kind === 'number' || kind === 'nonFinite';
    case 'integer':
      return kind === 'integer' || kind === 'nonFinite';
    case 'boolean':
      return kind === 'boolean';
    case 'datetime':
      return kind === 'datetime';
    default:
      return true;
  }
}
