/** Options of `MlflowClient`. */
export interface MlflowClientOptions {
  /** Base URI of the tracking server, e.g. `http://mlflow.internal:5000` (a path prefix is kept). Required. */
  uri: string;
  /**
   * Sent as `Authorization: Bearer <token>` when set (MLflow behind an auth proxy, Databricks).
   * @defaultValue `MLFLOW_TRACKING_TOKEN` is not read; undefined (no header)
   */
  token?: string;
  /** Per-request timeout in milliseconds; a request that takes longer fails with `TIMEOUT`. @defaultValue 10000 */
  timeoutMs?: number;
  /**
   * How many times a request is tried again when it is safe to: connection refused (nothing was
   * sent), or a read (GET) that got no answer, a 429 or a 5xx. Creates are never resent by the
   * client — the mirror retries them after an idempotency lookup. @defaultValue 2
   */
  retries?: number;
  /** First back-off between those tries in ms, doubled each time, with jitter. @defaultValue 200 */
  retryDelayMs?: number;
  /** The fetch implementation. @defaultValue the global `fetch` of Node 20 */
  fetch?: typeof fetch;
}
