import { Migrator, type Kysely } from 'kysely';
import { MyelinError } from '@myelin/errors';
import { isTransientDbError, retryTransient } from '../retry-transient.js';
import type { Database } from './database.js';
import type { MetadataDialect } from './metadata-dialect.js';
import { metadataMigrations, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from './migrations.js';

/**
 * Applies every pending migration (none pending: no-op). Safe when several processes open the
 * same database at once: on PostgreSQL Kysely takes an advisory lock; on SQLite the migrations run in
 * one `BEGIN IMMEDIATE` transaction (see `ImmediateSqliteDialect`). Returns the names applied now.
 */
export async function migrateMetadataStore(
  db: Kysely<Database>,
  dialect: MetadataDialect,
  description: string = dialect,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: metadataMigrations(dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await retryTransient(async () => {
    const outcome = await migrator.migrateToLatest();
    if (outcome.error !== undefined && isTransientDbError(outcome.error)) throw outcome.error;
    return outcome;
  }).catch((e: unknown) => ({ error: e, results: undefined }));
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /missing/.test(message)
      ? ' (the database was written by a newer Myelin: upgrade Myelin or use another state folder)'
      : '';
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `cannot migrate the metadata store ${description}: ${message}${hint}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
