/** Options of `createTempPostgresDatabase` and `postgresTestSkipReason`. */
export interface TempPostgresDatabaseOptions {
  /**
   * A URL of the server with a user that may create and drop databases; its database is only used
   * to run `CREATE DATABASE` / `DROP DATABASE` from.
   * @defaultValue `MYELIN_TEST_POSTGRES_ADMIN_URL`, else `postgres://postgres@127.0.0.1:5432/postgres`
   */
  adminUrl?: string;
}
