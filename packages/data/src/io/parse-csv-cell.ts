import type { Cell } from '../types.js';

/**
 * Converts one CSV field to a cell: empty or blank → null, surrounding blanks ignored for numbers and booleans, `true`/`false` (also `True`, `TRUE`…) →
 * boolean, numeric-looking text → number (`1e999` → Infinity, `NaN`, `Infinity`, `-Infinity`
 * kept as numbers so validation can flag them), anything else stays a string (untrimmed).
 * Hex/octal/binary literals (`0x1F`) stay strings.
 *
 * @example parseCsvCell('3.5') // 3.5
 * @example parseCsvCell('') // null
 */
export function parseCsvCell(text: string): Cell {
  const len = text.length;
  if (len === 0) return null;
  const c = text.charCodeAt(0);
  if (c <= 32 || text.charCodeAt(len - 1) <= 32) {
    const trimmed = text.trim();
    if (trimmed === '') return null;
    const cell = parseCsvCell(trimmed);
    return typeof cell === 'string' ? text : cell;
  }
  // digits, '+', '-', '.'
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (len > 1 && c === 48) {
      const c1 = text.charCodeAt(1) | 32; // lower-case
      if (c1 === 120 || c1 === 111 || c1 === 98) return text; // 0x 0o 0b
    }
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  switch (text) {
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
  }
  return text;
}
