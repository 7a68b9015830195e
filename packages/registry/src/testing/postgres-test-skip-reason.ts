import pg from 'pg';
import { maskPostgresUrl } from '../postgres/mask-postgres-url.js';
import { postgresAdminUrl } from './postgres-admin-url.js';
import type { TempPostgresDatabaseOptions } from './temp-postgres-database-options.js';

/**
 * Why PostgreSQL tests cannot run here (no server answers at the admin URL, or it refuses the
 * login), or null when they can. Use it to skip, saying why:
 *
 * @example
 * const skip = await postgresTestSkipReason();
 * if (skip) console.warn(`skipping PostgreSQL tests: ${skip}`);
 * describe.skipIf(skip !== null)('on PostgreSQL', () => { … });
 */
export async function postgresTestSkipReason(
  options: TempPostgresDatabaseOptions = {},
): Promise<string | null> {
  const adminUrl = postgresAdminUrl(options.adminUrl);
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message || e.name : String(e);
    const code = (e as { code?: unknown }).code;
    return `no PostgreSQL at ${maskPostgresUrl(adminUrl)} (${typeof code === 'string' ? `${code}: ` : ''}${message}); set MYELIN_TEST_POSTGRES_ADMIN_URL to run them`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
