import { MLFLOW_LIMITS } from './mlflow-limits.js';
import type { MlflowMetric, MlflowParam, MlflowTag } from './mlflow-types.js';

/** The body of one `runs/log-batch` request, without the run id. */
export interface LogBatch {
  params: MlflowParam[];
  metrics: MlflowMetric[];
  tags: MlflowTag[];
}

/** What `planBatches` leaves free in every batch (for the progress tag the delivery adds). */
export interface BatchReserve {
  tags: number;
  bytes: number;
}

const BASE_BYTES = 200; // `{"run_id":"…","params":[],"metrics":[],"tags":[]}`

function bytesOf(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
}

/**
 * Splits params, metrics and tags into `runs/log-batch` requests MLflow accepts, in a fixed order
 * (params, then metrics, then tags; a batch may hold several kinds): at most 100 params, 100 tags
 * and 1,000 metrics, 1,000 entries in all and 1 MB of JSON per request, minus `reserve` in each.
 * The same input always gives the same batches, so a delivery can record how many it applied.
 *
 * @example planBatches({ params: p, metrics: m, tags: [] }).length // 1 for a run with ≤ 100 params and ≤ 899 metrics
 */
export function planBatches(items: LogBatch, reserve: BatchReserve = { tags: 1, bytes: 1000 }): LogBatch[] {
  const batches: LogBatch[] = [];
  let cur: LogBatch = { params: [], metrics: [], tags: [] };
  let bytes = BASE_BYTES + reserve.bytes;
  const count = (): number => cur.params.length + cur.metrics.length + cur.tags.length;
  const flush = (): void => {
    if (count() > 0) batches.push(cur);
    cur = { params: [], metrics: [], tags: [] };
    bytes = BASE_BYTES + reserve.bytes;
  };
  const add = <K extends keyof LogBatch>(kind: K, item: LogBatch[K][number], max: number): void => {
    const size = bytesOf(item);
    if (
      cur[kind].length >= max ||
      count() + reserve.tags >= MLFLOW_LIMITS.entitiesPerBatch ||
      (count() > 0 && bytes + size > MLFLOW_LIMITS.batchRequestBytes)
    ) {
      flush();
    }
    (cur[kind] as LogBatch[K][number][]).push(item);
    bytes += size;
  };
  for (const p of items.params) add('params', p, MLFLOW_LIMITS.paramsPerBatch);
  for (const m of items.metrics) add('metrics', m, MLFLOW_LIMITS.metricsPerBatch);
  for (const t of items.tags) add('tags', t, MLFLOW_LIMITS.tagsPerBatch - reserve.tags);
  flush();
  return batches;
}
