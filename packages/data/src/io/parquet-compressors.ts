import { compressors as extra } from 'hyparquet-compressors';
import type { Compressors } from 'hyparquet';

/**
 * The page decompressors Parquet reading uses beyond hyparquet's built-in Snappy: the
 * `hyparquet-compressors` set (ZSTD, GZIP, BROTLI, LZ4, LZ4_RAW; pure JS/wasm, no native
 * install step). vega-datasets' flights-3m.parquet, for one, is ZSTD-compressed.
 */
export function parquetCompressors(): Promise<Compressors> {
  return Promise.resolve(extra as Compressors);
}
