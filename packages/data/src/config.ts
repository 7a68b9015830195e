/**
 * The names and types the data package owns, without loading a reader: the spec package imports
 * them (`@myelin/data/config`) to build its schema from them and to check it against them at
 * compile time, and training imports `Task`; `didYouMean` is the one typo hint of every message.
 */
export { COLUMN_TYPES, TASKS, type ColumnType, type Task } from './types.js';
export type { Anomaly, ColumnProfile } from './types.js';
export type { ColumnRule, TableReport } from './validate/analyze-options.js';
export { didYouMean, suggest } from './validate/did-you-mean.js';
export {
  DATA_FORMATS,
  FORMAT_EXTENSIONS,
  formatExtensionList,
  formatOfExtension,
  type DataFormat,
  type FormatOfExtension,
} from './io/data-formats.js';
