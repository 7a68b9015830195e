export type { ResolvedSource, ReadProgress, ReadRowsOptions } from './resolved-source.js';
export * from './data-formats.js';
export { resolveSource, type ResolveSourceOptions } from './resolve-source.js';
export { resolveLocalPath, type LocalPathOptions } from './resolve-local-path.js';
export { isDatedSource, pickDatedFile, resolveDatedSource } from './dated-source.js';
export { readRegularFile, RegularFileError } from './read-regular-file.js';
export { readRows, readRowBatches, readColumnBatches, preloadReader } from './read-rows.js';
export { loadRows } from './load-rows.js';
export { parseCsvCell } from './parse-csv-cell.js';
export { parquetCompressors } from './parquet-compressors.js';
export type { ColumnBatch } from './column-batch.js';
export {
  type ColumnVector,
  TAG_NULL,
  TAG_NUMBER,
  TAG_FALSE,
  TAG_TRUE,
  TAG_STRING,
  cellAt,
  countTags,
  nullVector,
  sliceVector,
  gatherVector,
  ColumnScratch,
  concatVectors,
} from './column-vector.js';
export { vectorFromValues } from './vector-from-values.js';
export { rowsToBatches, rowBatchesToBatches } from './rows-to-batches.js';
export { batchToRows } from './batch-to-rows.js';
export * from './dataset/index.js';
