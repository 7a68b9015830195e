/** Options of `openEmbeddedMetadataStore`. */
export interface EmbeddedMetadataStoreOptions {
  /**
   * The state folder; the database is `<dir>/metadata.db`. The folder is created if its parent
   * exists (a missing parent is an error, to catch typos).
   * @defaultValue `./.myelin`
   */
  dir?: string;
  /**
   * How long one statement waits for another process's write lock before SQLITE_BUSY
   * (after which the whole transaction is retried with back-off).
   * @defaultValue 5000
   */
  busyTimeoutMs?: number;
}
