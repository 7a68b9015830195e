/** TF Serving-style dynamic batching knobs, per model. */
export interface BatchingOptions {
  /**
   * Merge requests for the same model version into one `predict` call. Off: every request runs
   * its own call at once.
   * @defaultValue true
   */
  enabled?: boolean;
  /** Most rows one `predict` call takes (a bigger request runs alone, fed in slices of this size). @defaultValue 256 (merges up to 8 requests of 32 rows: tfjs costs much more per call than per row) */
  maxBatchSize?: number;
  /**
   * Longest a request waits for others to join its batch, in milliseconds. 0 flushes at the end of
   * the current event-loop turn: every request that arrived in that turn joins, and a lone request
   * waits for nothing (under load, batches form by themselves while the model runs).
   * @defaultValue 0
   */
  batchTimeoutMs?: number;
  /**
   * Most rows waiting per model version; a request that would pass it is refused with 503 and
   * `Retry-After`, so the queue never grows without bound.
   * @defaultValue 4096
   */
  maxQueuedRows?: number;
}

/** The options with every default filled in. */
export type ResolvedBatchingOptions = Required<BatchingOptions>;

/** Fills in the defaults of `BatchingOptions`. */
export function resolveBatching(opts: BatchingOptions = {}): ResolvedBatchingOptions {
  return {
    enabled: opts.enabled ?? true,
    maxBatchSize: opts.maxBatchSize ?? 256,
    batchTimeoutMs: opts.batchTimeoutMs ?? 0,
    maxQueuedRows: opts.maxQueuedRows ?? 4096,
  };
}
