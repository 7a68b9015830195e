import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { MetadataDialect } from './metadata-dialect.js';

/**
 * The MLflow outbox learns which tracking server each row is for (`target`, the server's URI), so
 * pointing Myelin at a new server mirrors everything again instead of believing it is there
 * already; and it keeps what MLflow refused: `skipped` (JSON list of the params, metrics or tags
 * MLflow refused inside a delivered row) and `refused` (1: MLflow refused the whole row, so trying
 * again changes nothing; `myelin mlflow sync --retry-refused` tries anyway).
 *
 * `(target, kind, entity_id)` is unique now. A unique constraint cannot be dropped in SQLite, so
 * the table is rebuilt the portable way (new table, copy, drop, rename) in both dialects. Rows
 * written before this migration get target `''`: the first mirror that flushes adopts them as its
 * own (they were delivered to the only server there was).
 */
export function mlflowOutboxTargetMigration(dialect: MetadataDialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const serialId = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'postgres'
      ? col.generatedByDefaultAsIdentity().primaryKey()
      : col.primaryKey().autoIncrement();
  const columns =
    'id, kind, entity_id, payload, attempts, next_attempt_at, claimed_until, delivered_at, last_error, created_at';

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('mlflow_outbox_v3')
        .addColumn('id', 'integer', serialId)
        .addColumn('target', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', time)
        .addColumn('claimed_until', time)
        .addColumn('delivered_at', time)
        .addColumn('last_error', 'text')
        .addColumn('skipped', 'text')
        .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', time, (c) => c.notNull())
        .addUniqueConstraint('mlflow_outbox_target_kind_entity', ['target', 'kind', 'entity_id'])
        .execute();
      await sql`insert into mlflow_outbox_v3 (${sql.raw(columns)}) select ${sql.raw(columns)} from mlflow_outbox`.execute(
        db,
      );
      await db.schema.dropTable('mlflow_outbox').execute();
      await db.schema.alterTable('mlflow_outbox_v3').renameTo('mlflow_outbox').execute();
      if (dialect === 'postgres') {
        // ids were copied explicitly: move the identity past them
        await sql`select setval(pg_get_serial_sequence('mlflow_outbox', 'id'), coalesce((select max(id) from mlflow_outbox), 0) + 1, false)`.execute(
          db,
        );
      }
      await db.schema
        .createIndex('mlflow_outbox_due')
        .on('mlflow_outbox')
        .columns(['target', 'delivered_at', 'next_attempt_at'])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      // back to one row per (kind, entity_id): keep the newest row of each, drop the new columns
      await db.schema
        .createTable('mlflow_outbox_v2')
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
      await sql`insert into mlflow_outbox_v2 (${sql.raw(columns)}) select ${sql.raw(columns)} from mlflow_outbox o where o.id = (select max(id) from mlflow_outbox x where x.kind = o.kind and x.entity_id = o.entity_id)`.execute(
        db,
      );
      await db.schema.dropTable('mlflow_outbox').execute();
      await db.schema.alterTable('mlflow_outbox_v2').renameTo('mlflow_outbox').execute();
      await db.schema
        .createIndex('mlflow_outbox_due')
        .on('mlflow_outbox')
        .columns(['delivered_at', 'next_attempt_at'])
        .execute();
    },
  };
}
