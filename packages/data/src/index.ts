export * from './types.js';
export * from './io/index.js';
export * from './schema/index.js';
export * from './profile/index.js';
export * from './validate/index.js';
export * from './split/index.js';
export * from './drift/index.js';
export * from './transform/index.js';
// columnar entry points of the transforms (the same results as fitPreprocessor / transformBatch)
export { fitPreprocessorColumns, type RowsOfColumn } from './transform/fit-preprocessor-columns.js';
export { writeColumnFeature, type ColumnFeatureRows } from './transform/write-column-features.js';
export { FeatureBlockWriter, type FeatureMatrix } from './transform/feature-block-writer.js';
