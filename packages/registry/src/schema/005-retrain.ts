import type { Kysely, Migration } from 'kysely';
import type { MetadataDialect } from './metadata-dialect.js';

/**
 * Retraining: the cron schedules registered for pipelines (`schedules`, one row per pipeline, the
 * spec text the scheduled runs start from), every drift event the retrain controller handled and
 * what it decided (`retrain_triggers`, keyed by the event's id, so several API processes handle
 * each event once), and one claim row per model (`retrain_claims`, a compare-and-set on
 * `claimed_at`, so two processes never start two drift retrainings of one model at once).
 */
export function retrainMigration(dialect: MetadataDialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('schedules')
        .addColumn('pipeline', 'text', (c) => c.primaryKey())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('spec_text', 'text', (c) => c.notNull())
        .addColumn('spec_file', 'text')
        .addColumn('run_options', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('retrain_triggers')
        .addColumn('event_id', time, (c) => c.primaryKey())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('parent_run_id', 'text')
        .addColumn('pipeline', 'text')
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('retrain_triggers_model')
        .on('retrain_triggers')
        .columns(['model', 'version'])
        .execute();
      await db.schema
        .createTable('retrain_claims')
        .addColumn('model', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text')
        .addColumn('claimed_at', time, (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('retrain_claims').execute();
      await db.schema.dropTable('retrain_triggers').execute();
      await db.schema.dropTable('schedules').execute();
    },
  };
}
