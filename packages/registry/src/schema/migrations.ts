import type { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './001-initial.js';
import { mlflowOutboxMigration } from './002-mlflow-outbox.js';
import { mlflowOutboxTargetMigration } from './003-mlflow-outbox-target.js';
import { queueRecoveryMigration } from './004-queue-recovery.js';
import { retrainMigration } from './005-retrain.js';
import type { MetadataDialect } from './metadata-dialect.js';

/** Names of the tables Kysely's `Migrator` keeps its bookkeeping in. */
export const MIGRATION_TABLE = 'myelin_migration';
export const MIGRATION_LOCK_TABLE = 'myelin_migration_lock';

/**
 * The schema migrations, in code (no files to ship), applied in name order.
 * Add a migration as `002_<what>` here; never edit one that was released.
 */
export function metadataMigrations(dialect: MetadataDialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '001_initial': initialMigration(dialect),
    '002_mlflow_outbox': mlflowOutboxMigration(dialect),
    '003_mlflow_outbox_target': mlflowOutboxTargetMigration(dialect),
    '004_queue_recovery': queueRecoveryMigration(dialect),
    '005_retrain': retrainMigration(dialect),
  };
  return { getMigrations: async () => migrations };
}
