/** The server the PostgreSQL tests use unless told otherwise: local, trust auth, user `postgres`. */
export const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The admin URL for test databases: the one given, else `MYELIN_TEST_POSTGRES_ADMIN_URL` from the
 * environment, else `DEFAULT_POSTGRES_ADMIN_URL`. The user must be allowed to create databases.
 */
export function postgresAdminUrl(adminUrl?: string): string {
  return adminUrl ?? (process.env['MYELIN_TEST_POSTGRES_ADMIN_URL'] || DEFAULT_POSTGRES_ADMIN_URL);
}
