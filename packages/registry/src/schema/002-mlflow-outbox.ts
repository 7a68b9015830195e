import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import type { MetadataDialect } from './metadata-dialect.js';

/**
 * The MLflow mirror's outbox: one row per thing to mirror (a finished run, a registered version,
 * an alias move), written next to Myelin's own records and delivered later. Portable types only,
 * with the same two dialect differences as `001_initial` (auto-increment id, 64-bit times).
 * `(kind, entity_id)` is unique, so the same run, version or alias move is never queued twice.
 */
export function mlflowOutboxMigration(dialect: MetadataDialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const serialId = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'postgres'
      ? col.generatedByDefaultAsIdentity().primaryKey()
      : col.primaryKey().autoIncrement();

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('mlflow_outbox')
        .addColumn('id', 'integer', serialId)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', time)
        .addColumn('claimed_until', time)
        .addColumn('delivered_at', time)
        .addColumn('last_error', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('mlflow_outbox_kind_entity', ['kind', 'entity_id'])
        .execute();
      await db.schema
        .createIndex('mlflow_outbox_due')
        .on('mlflow_outbox')
        .columns(['delivered_at', 'next_attempt_at'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('mlflow_outbox').execute();
    },
  };
}
