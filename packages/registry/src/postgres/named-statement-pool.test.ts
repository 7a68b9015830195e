import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempPostgresDatabase,
  postgresTestSkipReason,
  type TempPostgresDatabase,
} from '../testing/index.js';
import { NamedStatementPool } from './named-statement-pool.js';

const skip = await postgresTestSkipReason();
if (skip) console.warn(`skipping the named-statement pool tests: ${skip}`);

describe.skipIf(skip !== null)('NamedStatementPool', () => {
  let db: TempPostgresDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTempPostgresDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('names a text with parameters once it is seen again, and answers as the pool does', async () => {
    const named = new NamedStatementPool(pool);
    const client = await named.connect();
    try {
      const prepared = async () =>
        (await client.query<{ name: string }>('select name from pg_prepared_statements', [])).rows.map(
          (r) => r.name,
        );
      const once = 'select $1::int + 1 as n';
      expect((await client.query<{ n: number }>(once, [1])).rows).toEqual([{ n: 2 }]);
      expect(await prepared()).toEqual([]);
      const again = await client.query<{ n: number }>(once, [41]);
      expect(again).toMatchObject({ command: 'SELECT', rowCount: 1, rows: [{ n: 42 }] });
      expect(await prepared()).toEqual(['myelin_1']);
      // a statement without parameters is never named; a command Kysely has no name for reads as SELECT
      expect(await client.query('begin', [])).toMatchObject({ command: 'SELECT', rows: [] });
      expect(await client.query('commit', [])).toMatchObject({ command: 'COMMIT' });
      expect(await prepared()).toEqual(['myelin_1']);
    } finally {
      client.release();
    }
  });
});
