import type { ErrorCode, FaultLocation } from '@myelin/errors';
import type { ColumnBatch } from '../column-batch.js';
import type { CsvResumePoint } from './csv-scanner.js';

/** What the CSV scan worker is started with. */
export interface CsvScanJob {
  path: string;
  display: string;
  delimiter: number;
  chunkBytes: number;
  /** Batches the worker may send ahead of the ones taken. */
  window: number;
}

/**
 * Messages to the scan worker: where to start scanning (once: the worker reads the file from
 * there on), and leave to send more batches.
 */
export type CsvScanOrder = { type: 'start'; from: CsvResumePoint } | { type: 'credit'; credit: number };

/** Messages from the scan worker: `ready` once it runs (it then waits for `start`). */
export type CsvScanMessage =
  | { type: 'ready' }
  | { type: 'batches'; batches: ColumnBatch[]; bytes: number }
  | { type: 'end'; names: string[] | undefined; rows: number; bytes: number }
  | { type: 'error'; code?: ErrorCode; detail: string; location?: FaultLocation };

/** The buffers of a batch's vectors, moved (not copied) to the other thread. */
export function transferList(batches: readonly ColumnBatch[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const b of batches)
    for (const v of b.columns) {
      out.add(v.tags.buffer as ArrayBuffer);
      if (v.numbers) out.add(v.numbers.buffer as ArrayBuffer);
      if (v.codes) out.add(v.codes.buffer as ArrayBuffer);
    }
  return [...out];
}
