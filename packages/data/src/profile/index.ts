export { ColumnProfiler, HISTOGRAM_BINS } from './column-profiler.js';
export { ValueCounter, EXACT_DISTINCT_CAP } from './value-counter.js';
export { QuantileSketch } from './quantile-sketch.js';
export { HyperLogLog } from './hyper-log-log.js';
export { NumericStats } from './numeric-stats.js';
export { hashCell } from './hash-cell.js';
export { sortFloat64 } from './sort-float64.js';
export { selectFloat64 } from './select-float64.js';
