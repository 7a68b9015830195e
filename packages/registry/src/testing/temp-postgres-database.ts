import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { postgresAdminUrl } from './postgres-admin-url.js';
import type { TempPostgresDatabaseOptions } from './temp-postgres-database-options.js';

/** A database made for one test file; `drop()` removes it (and ends its connections). */
export interface TempPostgresDatabase {
  /** URL of the new, empty database (the admin URL with its database name replaced). */
  url: string;
  /** The database name, `myelin_test_<12 hex digits>`. */
  name: string;
  /** Ends every connection to the database and drops it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database `myelin_test_<random>` on the test server, for one test file.
 *
 * @example
 * let db: TempPostgresDatabase;
 * beforeAll(async () => { db = await createTempPostgresDatabase(); });
 * afterAll(async () => { await db.drop(); });
 * // … openPostgresMetadataStore({ url: db.url }) …
 */
export async function createTempPostgresDatabase(
  options: TempPostgresDatabaseOptions = {},
): Promise<TempPostgresDatabase> {
  const adminUrl = postgresAdminUrl(options.adminUrl);
  const name = `myelin_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      await withAdmin(adminUrl, async (admin) => {
        // A pool that reconnects between the two statements makes DROP fail with 55006: go again.
        for (let attempt = 1; ; attempt++) {
          await admin.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
            [name],
          );
          try {
            await admin.query(`drop database if exists "${name}"`);
            return;
          } catch (e) {
            if ((e as { code?: unknown }).code !== '55006' || attempt >= 10) throw e;
            await sleep(50 * attempt);
          }
        }
      });
      dropped = true;
    },
  };
}

async function withAdmin<T>(adminUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}
