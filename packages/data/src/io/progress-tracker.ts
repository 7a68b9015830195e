import type { ReadProgress, ReadRowsOptions } from './resolved-source.js';

const EVERY_ROWS = 16_384;

/** Rows per batch the format readers yield. */
export const BATCH_ROWS = 4096;

/** Counts rows and bytes of one read and reports them through `onProgress`, throttled by rows. */
export class ProgressTracker {
  rows = 0;
  bytes = 0;
  private readonly onProgress: ((p: ReadProgress) => void) | undefined;
  private readonly signal: AbortSignal | undefined;

  constructor(
    readonly totalBytes: number,
    opts: ReadRowsOptions | undefined,
  ) {
    this.onProgress = opts?.onProgress;
    this.signal = opts?.signal;
  }

  /** Counts one row; reports every 16,384 rows; throws if the read was aborted. */
  row(): void {
    this.rows++;
    if ((this.rows & (EVERY_ROWS - 1)) === 0) {
      this.signal?.throwIfAborted();
      this.report();
    }
  }

  /** Counts `n` rows at once (a batch); reports when a multiple of 16,384 rows was passed. */
  addRows(n: number): void {
    const before = this.rows;
    this.rows += n;
    if (Math.floor(before / EVERY_ROWS) !== Math.floor(this.rows / EVERY_ROWS)) {
      this.signal?.throwIfAborted();
      this.report();
    }
  }

  /** Throws the signal's reason when the read was aborted. */
  checkAborted(): void {
    this.signal?.throwIfAborted();
  }

  /** Reports the final counts. */
  done(): void {
    this.bytes = Math.max(this.bytes, this.totalBytes);
    this.report();
  }

  report(): void {
    this.onProgress?.({
      rows: this.rows,
      bytes: Math.min(this.bytes, this.totalBytes),
      totalBytes: this.totalBytes,
    });
  }
}
