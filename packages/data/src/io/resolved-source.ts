import type { DataFormat } from './data-formats.js';

/** A data source turned into a readable local file. */
export interface ResolvedSource {
  /** Absolute path of the file. */
  path: string;
  format: DataFormat;
  /** What to show users in messages: the source as written when it was relative or `npm:`. */
  display: string;
  /** Field delimiter for `csv` (`\t` for `.tsv` files). @defaultValue `,` */
  delimiter?: string;
}

/** Progress of a read, reported by `readRows` every few thousand rows and once at the end. */
export interface ReadProgress {
  rows: number;
  /** Bytes of the file consumed so far. */
  bytes: number;
  /** Size of the file in bytes. */
  totalBytes: number;
}

/** Options of `readRows` / `loadRows`. */
export interface ReadRowsOptions {
  /** Called with the progress every 16,384 rows and once at the end. */
  onProgress?: (p: ReadProgress) => void;
  /** Stops the read; the iterator then throws the signal's reason. */
  signal?: AbortSignal;
}
