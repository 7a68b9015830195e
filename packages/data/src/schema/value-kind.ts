import type { Cell } from '../types.js';

/** What one cell holds, as schema inference and type checks see it. */
export type ValueKind = 'null' | 'integer' | 'number' | 'nonFinite' | 'boolean' | 'datetime' | 'string';

const ISO_DATETIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Classifies a cell. Strings in ISO-8601 form (`2024-05-01`, `2024-05-01T12:30:00Z`,
 * `2024-05-01 12:30:00.123+02:00`) are `datetime`; NaN and ±Infinity are `nonFinite`.
 */
export function valueKind(v: Cell): ValueKind {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? 'integer' : Number.isFinite(v) ? 'number' : 'nonFinite';
    case 'boolean':
      return 'boolean';
    case 'string': {
      const c = v.charCodeAt(0);
      return v.length >= 10 && v.length <= 35 && c >= 48 && c <= 57 && ISO_DATETIME.test(v)
        ? 'datetime'
        : 'string';
    }
    default:
      return 'null';
  }
}
