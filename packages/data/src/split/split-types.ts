/** Fractions of the rows that go to each split (the pipeline file's `data.split`) and how. */
export interface SplitOptions {
  /** Fraction of rows for training, 0..1. */
  train: number;
  /** Fraction of rows for validation, 0..1. */
  validation: number;
  /** Fraction of rows for the final test, 0..1. The three fractions must sum to 1 (±1e-6). */
  test: number;
  /** Integer seed: the same seed and data give the same split. */
  seed: number;
  /** Split each label class in proportion (needs `labels`); otherwise split all rows at once. */
  stratify: boolean;
}

/** What to split: `n` rows, and optionally one label per row for stratification. */
export interface SplitInput {
  n: number;
  labels?: (string | number | boolean | null)[];
  /**
   * Instead of `labels`: each row's class as a number, classes numbered 0, 1, … in order of first
   * appearance (what `labels` would give; see `distinctCellIds`), so no label is made per row.
   */
  groups?: Int32Array;
}

/** Row indices (0-based) of each split, each sorted ascending. Every index is in exactly one split. */
export interface SplitResult {
  train: number[];
  validation: number[];
  test: number[];
}
