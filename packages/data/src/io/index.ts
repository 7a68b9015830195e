export type { DataFormat, ResolvedSource, ReadProgress, ReadRowsOptions } from './resolved-source.js';
export { resolveSource, type ResolveSourceOptions } from './resolve-source.js';
export { resolveLocalPath, type LocalPathOptions } from './resolve-local-path.js';
export { readRegularFile, RegularFileError } from './read-regular-file.js';
export { readRows, readRowBatches } from './read-rows.js';
export { loadRows } from './load-rows.js';
export { parseCsvCell } from './parse-csv-cell.js';
export { parquetCompressors } from './parquet-compressors.js';
