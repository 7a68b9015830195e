import type { Row } from '../../types.js';

/**
 * Test rows with every kind of cell a dataset part stores: integers with nulls, floats with NaN,
 * ±Infinity and -0, booleans, non-ASCII strings, a mixed column and an all-null one (for the
 * dataset tests).
 */
export const EVERY_CELL_KIND: Row[] = Array.from({ length: 1000 }, (_, i) => ({
  int: i % 7 === 0 ? null : i - 500,
  float: i % 11 === 0 ? NaN : i === 3 ? Infinity : i === 4 ? -0 : i / 8,
  flag: i % 3 === 0 ? true : i % 3 === 1 ? false : null,
  text: i % 5 === 0 ? null : `välue ${i % 13}`,
  mixed: i % 4 === 0 ? 1 : i % 4 === 1 ? '1' : i % 4 === 2 ? true : null,
  empty: null,
}));
