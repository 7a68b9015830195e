import type { ColumnType, Task } from '../types.js';

/** Most distinct values a numeric target may have and still be read as class labels. */
export const MAX_NUMERIC_CLASSES = 20;

/**
 * The task a target implies: a numeric target with more than 20 distinct values is regression;
 * otherwise 2 distinct values are binary and anything else multiclass.
 */
export function inferTask(type: ColumnType, distinct: number): Task {
  if ((type === 'number' || type === 'integer') && distinct > MAX_NUMERIC_CLASSES) return 'regression';
  return distinct === 2 ? 'binary' : 'multiclass';
}
