import type { Kysely, Migration } from 'kysely';
import type { MetadataDialect } from './metadata-dialect.js';

/**
 * What the queue's reconciler needs to recover a run whose jobs were lost: where the run was
 * submitted (`runs.spec_file`, the pipeline file its relative data paths start from) and with which
 * step options (`runs.run_options`, JSON), and until when the worker running a step holds it
 * (`steps.lease_until`, pushed forward each time the worker renews the job's lock: its heartbeat).
 * All nullable: rows written before this migration have none.
 */
export function queueRecoveryMigration(dialect: MetadataDialect): Migration {
  const time = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // one column per statement: SQLite adds one at a time
      await db.schema.alterTable('runs').addColumn('spec_file', 'text').execute();
      await db.schema.alterTable('runs').addColumn('run_options', 'text').execute();
      await db.schema.alterTable('steps').addColumn('lease_until', time).execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('steps').dropColumn('lease_until').execute();
      await db.schema.alterTable('runs').dropColumn('run_options').execute();
      await db.schema.alterTable('runs').dropColumn('spec_file').execute();
    },
  };
}
