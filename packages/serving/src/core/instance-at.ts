import type { InstanceBatch } from './predict-types.js';

/** Instances in a batch. */
export function instanceCount(batch: InstanceBatch): number {
  return batch.kind === 'rows' ? batch.rows.length : batch.n;
}

/**
 * Instance `i` of a batch as a client could have sent it in row form (for sampled logs): the row
 * itself, or a record of its column values (an encoded `input` column gives its values as a list).
 */
export function instanceAt(batch: InstanceBatch, i: number, width: number): unknown {
  if (batch.kind === 'rows') return batch.rows[i];
  const names = Object.keys(batch.columns);
  const rec: Record<string, unknown> = {};
  for (const name of names) {
    const col = batch.columns[name]!;
    const w = batch.width[name] ?? 1;
    rec[name] = w === 1 ? col[i] : Array.from({ length: w || width }, (_, k) => col[i * w + k]);
  }
  return rec;
}
