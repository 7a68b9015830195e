import type pg from 'pg';
import { Kysely } from 'kysely';
import { MyelinError } from '@myelin/errors';
import { createKyselyMetadataStore } from '../kysely-metadata-store.js';
import type { MetadataStore } from '../metadata-store.js';
import type { Database } from '../schema/database.js';
import { int8AsNumberTypes } from './int8-as-number-types.js';
import { maskPostgresUrl } from './mask-postgres-url.js';
import { NamedStatementPool } from './named-statement-pool.js';
import { OrderedEventsPostgresDialect } from './ordered-events-postgres-dialect.js';
import type { PostgresMetadataStoreOptions } from './postgres-metadata-store-options.js';
import { postgresOpenError } from './postgres-open-error.js';

/**
 * The session-level advisory lock held while the schema is migrated, so that several processes
 * opening one empty database at once apply each migration exactly once (the others wait, then find
 * nothing pending).
 */
export const POSTGRES_MIGRATE_LOCK_KEY = '7012487160382015522';

/**
 * Opens the metadata store on a PostgreSQL database: a `pg.Pool` (bigint columns read back as
 * numbers) under Kysely's PostgreSQL dialect, through the same `KyselyMetadataStore` as the
 * embedded store, after applying the pending migrations. Every process of a deployment can open
 * the same database at once. An unreachable server, a refused login or a missing database fails
 * here with `MYELIN_ERR_REGISTRY`, naming the URL with its password masked.
 *
 * @example
 * const store = await openPostgresMetadataStore({ url: process.env.MYELIN_DATABASE_URL! });
 * try { … } finally { await store.close(); }
 */
export async function openPostgresMetadataStore(
  options: PostgresMetadataStoreOptions,
): Promise<MetadataStore> {
  const url = checkUrl(options.url);
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `poolSize must be a positive integer, got ${String(poolSize)}`,
    );
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const description = maskPostgresUrl(url);
  // the driver loads with the first PostgreSQL store, not with the package (SQLite stacks and
  // the CLI's read-only commands never need it)
  const { default: driver } = await import('pg');
  const connection: pg.ClientConfig = {
    connectionString: url,
    application_name: options.applicationName ?? 'myelin',
    connectionTimeoutMillis: connectTimeoutMs,
    types: int8AsNumberTypes(driver),
  };

  // One connection of its own, outside the pool: it proves the server, login and database are
  // there (with a clear error if not) and holds the migration lock while the pool migrates.
  const lockClient = new driver.Client(connection);
  lockClient.on('error', () => undefined); // a dropped connection surfaces as the query's error
  try {
    await lockClient.connect();
  } catch (e) {
    await lockClient.end().catch(() => undefined);
    throw postgresOpenError(url, e, connectTimeoutMs);
  }

  const pool = new driver.Pool({ ...connection, max: poolSize });
  // An idle connection closed by the server (restart, pg_terminate_backend) is dropped from the
  // pool and replaced on next use; without a listener the 'error' event would end the process.
  pool.on('error', () => undefined);
  // the store's repeated queries run as named statements (parsed and planned once a connection)
  const db = new Kysely<Database>({
    dialect: new OrderedEventsPostgresDialect({ pool: new NamedStatementPool(pool) }),
  });
  try {
    await lockClient.query(`select pg_advisory_lock(${POSTGRES_MIGRATE_LOCK_KEY})`);
    return await createKyselyMetadataStore(db, 'postgres', { description });
  } catch (e) {
    await db.destroy().catch(() => undefined);
    if (e instanceof MyelinError) throw e;
    throw postgresOpenError(url, e, connectTimeoutMs);
  } finally {
    // Ending the session releases the advisory lock too.
    await lockClient.end().catch(() => undefined);
  }
}

function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || url === '') {
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      'the PostgreSQL metadata store needs a url, e.g. postgres://user:password@host:5432/database',
    );
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `${maskPostgresUrl(url)} is not a URL; expected postgres://user:password@host:5432/database`,
    );
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `${maskPostgresUrl(url)} is not a PostgreSQL URL; expected postgres:// or postgresql://`,
    );
  }
  return url;
}
