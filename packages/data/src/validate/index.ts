export type { AnalyzeOptions, ColumnRule, TableReport } from './analyze-options.js';
export { analyzeTable, analyzeBatches } from './analyze-table.js';
export { ColumnAnalysis } from './column-analysis.js';
export { formatReport, type FormatReportOptions } from './format-report.js';
export { inferTask, MAX_NUMERIC_CLASSES } from './infer-task.js';
export { didYouMean, suggest } from './did-you-mean.js';
export { RowHashSet } from './row-hash-set.js';
