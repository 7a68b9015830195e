export { valueKind, type ValueKind } from './value-kind.js';
export {
  ColumnInferrer,
  kindFitsType,
  inferColumnType,
  CATEGORY_MAX_DISTINCT,
  CATEGORY_MAX_DISTINCT_FRACTION,
  type KindTally,
} from './column-inferrer.js';
export { createSchemaInferrer, inferSchema, type SchemaInferrer } from './schema-inferrer.js';
export {
  MAX_SCHEMA_FILE_BYTES,
  parseDataSchema,
  readSchemaFile,
  writeSchemaFile,
  type ReadSchemaFileOptions,
} from './schema-file.js';
