import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import type { MetadataDialect } from './metadata-dialect.js';

/**
 * The first schema. Only portable column types; the two dialect differences are spelled out here:
 * an auto-increment id and a 64-bit integer for epoch-millisecond times.
 */
export function initialMigration(dialect: MetadataDialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  const serialId = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'postgres'
      ? col.generatedByDefaultAsIdentity().primaryKey()
      : col.primaryKey().autoIncrement();

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('pipelines')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('latest_spec_hash', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('pipeline', 'text', (c) => c.notNull().references('pipelines.name'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('spec_hash', 'text', (c) => c.notNull())
        .addColumn('spec_text', 'text', (c) => c.notNull())
        .addColumn('parent_run_id', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('started_at', time)
        .addColumn('finished_at', time)
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('summary', 'text')
        .execute();
      await db.schema.createIndex('runs_pipeline_id').on('runs').columns(['pipeline', 'id']).execute();
      await db.schema.createIndex('runs_status_id').on('runs').columns(['status', 'id']).execute();

      await db.schema
        .createTable('steps')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('started_at', time)
        .addColumn('finished_at', time)
        .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('logs', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('outputs', 'text')
        .addColumn('cache_key', 'text')
        .addPrimaryKeyConstraint('steps_pk', ['run_id', 'name'])
        .execute();
      await db.schema.createIndex('steps_cache_key').on('steps').column('cache_key').execute();

      await db.schema
        .createTable('epoch_metrics')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('epoch', 'integer', (c) => c.notNull())
        .addColumn('metrics', 'text', (c) => c.notNull())
        .addColumn('duration_ms', time)
        .addColumn('recorded_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('epoch_metrics_pk', ['run_id', 'step', 'epoch'])
        .execute();

      await db.schema
        .createTable('models')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('versions')
        .addColumn('model', 'text', (c) => c.notNull().references('models.name'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('manifest_key', 'text', (c) => c.notNull())
        .addColumn('metrics', 'text', (c) => c.notNull())
        .addColumn('gates', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('spec_hash', 'text', (c) => c.notNull())
        .addColumn('data_hash', 'text', (c) => c.notNull())
        .addColumn('code_version', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('versions_pk', ['model', 'version'])
        .addUniqueConstraint('versions_model_manifest', ['model', 'manifest_key'])
        .execute();
      await db.schema.createIndex('versions_run_id').on('versions').column('run_id').execute();

      await db.schema
        .createTable('aliases')
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('aliases_pk', ['model', 'alias'])
        .addForeignKeyConstraint('aliases_version_fk', ['model', 'version'], 'versions', ['model', 'version'])
        .execute();

      await db.schema
        .createTable('alias_history')
        .addColumn('id', 'integer', serialId)
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('from_version', 'integer')
        .addColumn('to_version', 'integer')
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('why', 'text', (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('alias_history_model')
        .on('alias_history')
        .columns(['model', 'alias', 'id'])
        .execute();

      await db.schema
        .createTable('run_events')
        .addColumn('id', 'integer', serialId)
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('ts', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('run_events_run_id').on('run_events').columns(['run_id', 'id']).execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'run_events',
        'alias_history',
        'aliases',
        'versions',
        'models',
        'epoch_metrics',
        'steps',
        'runs',
        'pipelines',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
