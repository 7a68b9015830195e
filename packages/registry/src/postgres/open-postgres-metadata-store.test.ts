import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '@myelin/errors/testing';
import { metadataMigrations } from '../schema/migrations.js';
import {
  createTempPostgresDatabase,
  metadataStoreContract,
  postgresTestSkipReason,
  type TempPostgresDatabase,
} from '../testing/index.js';
import { openPostgresMetadataStore } from './open-postgres-metadata-store.js';

const skip = await postgresTestSkipReason();
if (skip) console.warn(`skipping the PostgreSQL metadata store tests: ${skip}`);

async function query<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Empties every table of the store (not the migration bookkeeping), ids starting again at 1. */
async function truncateStore(url: string): Promise<void> {
  const tables = await query<{ name: string }>(
    url,
    `select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'myelin_migration%'`,
  );
  if (tables.length === 0) return;
  await query(url, `truncate table ${tables.map((t) => `"${t.name}"`).join(', ')} restart identity cascade`);
}

describe.skipIf(skip !== null)('on PostgreSQL', () => {
  let db: TempPostgresDatabase;
  beforeAll(async () => {
    db = await createTempPostgresDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  // One database for the file: each contract test opens the store on it and empties it afterwards.
  metadataStoreContract('PostgreSQL', async () => {
    const store = await openPostgresMetadataStore({ url: db.url });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await truncateStore(db.url);
      },
    };
  });

  describe('openPostgresMetadataStore', () => {
    it('migrates once and keeps data across re-opens', async () => {
      const first = await openPostgresMetadataStore({ url: db.url, poolSize: 1 });
      expect(first.dialect).toBe('postgres');
      const run = await first.createRun({ pipeline: 'p', trigger: 'cli', specHash: 'h', specText: '' });
      await first.close();
      const second = await openPostgresMetadataStore({ url: db.url, poolSize: 1 });
      try {
        expect((await second.getRun(run.id))?.id).toBe(run.id);
      } finally {
        await second.close();
      }
      const applied = await query<{ name: string }>(
        db.url,
        'select name from myelin_migration order by name',
      );
      expect(applied.map((r) => r.name)).toEqual(
        Object.keys(await metadataMigrations('postgres').getMigrations()),
      );
      await truncateStore(db.url);
    });

    it('reads bigint times back as numbers, without changing pg’s global type parsers', async () => {
      const store = await openPostgresMetadataStore({ url: db.url });
      try {
        const run = await store.createRun({
          pipeline: 'p',
          trigger: 'cli',
          specHash: 'h',
          specText: '',
          status: 'running',
        });
        const got = await store.getRun(run.id);
        expect(typeof got?.createdAt).toBe('number');
        expect(got?.createdAt).toBe(run.createdAt);
        expect(got?.startedAt).toBe(run.startedAt);
        const [column] = await query<{ data_type: string }>(
          db.url,
          `select data_type from information_schema.columns where table_name = 'runs' and column_name = 'created_at'`,
        );
        expect(column?.data_type).toBe('bigint');
        const [pipeline] = await store.listPipelines();
        expect(typeof pipeline?.createdAt).toBe('number');
        // A plain pg client in this process still gets int8 as a string.
        const [raw] = await query<{ created_at: unknown }>(
          db.url,
          'select created_at from runs where id = $1',
          [run.id],
        );
        expect(raw?.created_at).toBe(String(run.createdAt));
      } finally {
        await store.close();
        await truncateStore(db.url);
      }
    });

    it('names its connections with applicationName and shows the URL without its password', async () => {
      const withPassword = new URL(db.url);
      withPassword.password = 'not-checked-under-trust';
      const store = await openPostgresMetadataStore({
        url: withPassword.toString(),
        applicationName: 'myelin-test-app',
      });
      try {
        expect(store.describe()).toBe(db.url.replace('postgres@', 'postgres:***@'));
        await store.listModels();
        const sessions = await query<{ n: number }>(
          db.url,
          `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'myelin-test-app'`,
          [db.name],
        );
        expect(sessions[0]?.n).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    });

    it('fails with MYELIN_ERR_STACK_UNREACHABLE when the database does not exist', async () => {
      const missing = new URL(db.url);
      missing.pathname = `/${db.name}_missing`;
      missing.password = 'hunter22';
      const e = await errorOf(openPostgresMetadataStore({ url: missing.toString() }));
      expect(e.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
      expect(e.message).toContain(`${db.name}_missing`);
      expect(e.message).toMatch(/does not exist/);
      expect(e.message).toContain(':***@');
      expect(e.message).not.toContain('hunter22');
    });

    it('fails with MYELIN_ERR_STACK_UNREACHABLE when the login is refused', async () => {
      const stranger = new URL(db.url);
      stranger.username = 'myelin_no_such_role';
      stranger.password = 'hunter22';
      const e = await errorOf(openPostgresMetadataStore({ url: stranger.toString() }));
      expect(e.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
      expect(e.message).toMatch(/authentication failed/);
      expect(e.message).toContain(`myelin_no_such_role:***@`);
      expect(e.message).not.toContain('hunter22');
    });
  });
});

describe('openPostgresMetadataStore without a server', () => {
  it('fails with MYELIN_ERR_STACK_UNREACHABLE naming the URL when nothing listens (ECONNREFUSED)', async () => {
    const e = await errorOf(openPostgresMetadataStore({ url: 'postgres://app:hunter22@127.0.0.1:1/myelin' }));
    expect(e.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
    expect(e.message).toContain('postgres://app:***@127.0.0.1:1/myelin');
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.message).not.toContain('hunter22');
  });

  it('rejects a URL that is not a PostgreSQL URL and a bad pool size', async () => {
    expect((await errorOf(openPostgresMetadataStore({ url: 'mysql://app:hunter22@db/x' }))).message).toMatch(
      /not a PostgreSQL URL/,
    );
    expect((await errorOf(openPostgresMetadataStore({ url: 'db.example.com' }))).message).toMatch(
      /not a URL/,
    );
    expect(
      (await errorOf(openPostgresMetadataStore({ url: 'postgres://127.0.0.1:1/x', poolSize: 0 }))).message,
    ).toMatch(/poolSize/);
  });
});
