import { MyelinError } from '@myelin/errors';

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Location of a value being read: its column and, in a batch or a table, its 0-based record index. */
export interface ValueSite {
  column: string;
  index?: number;
}

function fail(site: ValueSite, detail: string): never {
  const where = site.index === undefined ? '' : ` (record ${site.index})`;
  throw new MyelinError('MYELIN_ERR_TRANSFORM', `${detail}${where}`, {
    dataColumn: site.column,
    ...(site.index === undefined ? {} : { row: site.index + 1 }),
  });
}

const SHOWN = 60;

/** A value as it appears in a message: JSON, cut to 60 characters (never a whole request or file echoed back). */
export function showValue(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > SHOWN ? `${s.slice(0, SHOWN - 3)}...` : s;
}

/** True for null, undefined, NaN and the empty string: values the imputer fills. */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Reads a number for a number/integer feature: a finite number, or a string that is a plain
 * decimal number ("3.5", "-1e3"; JSON clients often quote numbers). Anything else throws
 * MYELIN_ERR_TRANSFORM naming the column. Call only for non-missing values.
 *
 * @example
 * readNumber('42.5', { column: 'Body Mass (g)' }); // 42.5
 */
export function readNumber(v: unknown, site: ValueSite): number {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    fail(site, `expected a finite number, got ${String(v)}`);
  }
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v.trim());
  fail(site, `expected a number, got ${showValue(v)}`);
}

/** Reads a datetime as epoch milliseconds: a finite number (already epoch ms) or a date string `Date.parse` reads. */
export function readDatetime(v: unknown, site: ValueSite): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  fail(site, `expected a date (ISO 8601 string or epoch milliseconds), got ${showValue(v)}`);
}

/** Reads a boolean as 0/1: true/false, 1/0, or the strings "true"/"false" (any case). */
export function readBoolean(v: unknown, site: ValueSite): 0 | 1 {
  if (v === true || v === 1) return 1;
  if (v === false || v === 0) return 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return 1;
    if (s === 'false') return 0;
  }
  fail(site, `expected a boolean, got ${showValue(v)}`);
}

/** Reads a category label: strings as they are, numbers and booleans as `String(v)`. */
export function readCategory(v: unknown, site: ValueSite): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  fail(site, `expected a category label (string), got ${showValue(v)}`);
}

export { fail as failTransform };
