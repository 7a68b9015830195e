import { describe, expect, it } from 'vitest';
import { parseCsvCell } from './parse-csv-cell.js';

describe('parseCsvCell', () => {
  it('converts empty to null, numbers, booleans, and keeps other text', () => {
    expect(parseCsvCell('')).toBeNull();
    expect(parseCsvCell('  ')).toBeNull();
    expect(parseCsvCell('3.5')).toBe(3.5);
    expect(parseCsvCell(' -2 ')).toBe(-2);
    expect(parseCsvCell('1e999')).toBe(Infinity);
    expect(parseCsvCell('NaN')).toBeNaN();
    expect(parseCsvCell('-Infinity')).toBe(-Infinity);
    expect(parseCsvCell('true')).toBe(true);
    expect(parseCsvCell('FALSE')).toBe(false);
    expect(parseCsvCell('0x1F')).toBe('0x1F');
    expect(parseCsvCell('12 apples')).toBe('12 apples');
    expect(parseCsvCell('.')).toBe('.');
    expect(parseCsvCell('2024-01-02')).toBe('2024-01-02');
  });
});
