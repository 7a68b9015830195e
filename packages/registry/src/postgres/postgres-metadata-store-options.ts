/** Options of `openPostgresMetadataStore`. */
export interface PostgresMetadataStoreOptions {
  /**
   * The server and database, as a libpq-style URL: `postgres://user:password@host:5432/database`
   * (`postgresql://` works too; query parameters such as `sslmode` are passed to `pg`). The
   * database must exist; its tables are created on first open. Messages and `describe()` show the
   * URL with the password masked.
   */
  url: string;
  /**
   * Most connections the store's pool keeps open to the server at once.
   * @defaultValue 10
   */
  poolSize?: number;
  /**
   * The `application_name` of the store's connections, as `pg_stat_activity` shows it.
   * @defaultValue `myelin`
   */
  applicationName?: string;
  /**
   * How long opening a connection may take before it fails (an unreachable host that drops
   * packets would otherwise hang the open).
   * @defaultValue 10000
   */
  connectTimeoutMs?: number;
}
