/** Options of `MlflowClient`. */
export interface MlflowClientOptions {
  /** Base URI of the tracking server, e.g. `http://mlflow.internal:5000` (a path prefix is kept). Required. */
  uri: string;
  /**
   * Sent as `Authorization: Bearer <token>` when set (MLflow behind an auth proxy, Databricks).
   * @defaultValue `MLFLOW_TRACKING_TOKEN` is not read; undefined (no header)
   */
  token?: string;
  /**
   * Per-request timeout in milliseconds, answer body included; a request that takes longer fails
   * with `TIMEOUT` and is not resent by the client. @defaultValue 10000
   */
  timeoutMs?: number;
  /** Timeout of one artifact upload (model weights can be large). @defaultValue 120000 (at least `timeoutMs`) */
  artifactTimeoutMs?: number;
  /**
   * How many times a request is tried again when it is safe to: connection refused (nothing was
   * sent), or a read (GET) whose connection failed, or that got a 429 or a 5xx (never after a timeout). Creates are never resent by the
   * client — the mirror retries them after an idempotency lookup. @defaultValue 2
   */
  retries?: number;
  /** First back-off between those tries in ms, doubled each time, with jitter. @defaultValue 200 */
  retryDelayMs?: number;
  /** The fetch implementation. @defaultValue the global `fetch` of Node 20 */
  fetch?: typeof fetch;
}
