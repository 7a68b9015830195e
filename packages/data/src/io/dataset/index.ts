export { writeDataset, type PutPart, type WriteDatasetOptions } from './write-dataset.js';
export { readDataset, readDatasetBytes, type OpenPart } from './read-dataset.js';
export { parseDatasetManifest, ARROW_STREAM_TYPE, type DatasetManifest, type DatasetPart } from './dataset-manifest.js';
export { type ColumnStorage, storageOf } from './column-storage.js';
export { SpilledColumns } from './spilled-columns.js';
export { ArrowFileColumns, type LocalPart } from './arrow-file-columns.js';
export type { ColumnTable } from './column-table.js';
