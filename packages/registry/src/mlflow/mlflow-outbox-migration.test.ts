import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyMetadataStore } from '../kysely-metadata-store.js';
import type { MetadataStore } from '../metadata-store.js';
import { openPostgresMetadataStore } from '../postgres/open-postgres-metadata-store.js';
import type { MetadataDialect } from '../schema/metadata-dialect.js';
import { metadataMigrations, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from '../schema/migrations.js';
import { EMBEDDED_DB_FILE, openEmbeddedMetadataStore } from '../sqlite/open-embedded-metadata-store.js';
import {
  createTempPostgresDatabase,
  postgresTestSkipReason,
  type TempPostgresDatabase,
} from '../testing/index.js';
import { createMlflowMirror } from './mlflow-mirror.js';
import { FakeMlflowServer } from './test-fixtures/fake-mlflow-server.js';
import { MemoryArtifacts, recordFinishedRun } from './test-fixtures/recorded-run.js';

const pgSkip = await postgresTestSkipReason();

/** Migrates a fresh database only up to `002_mlflow_outbox` (a store written by the previous release). */
async function migrateTo002(db: Kysely<unknown>, dialect: MetadataDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: metadataMigrations(dialect),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error } = await migrator.migrateTo('002_mlflow_outbox');
  if (error) throw error;
}

/** Rows as the previous release wrote them: one delivered, one pending. */
async function insertOldRows(db: Kysely<unknown>): Promise<void> {
  await sql`insert into mlflow_outbox (kind, entity_id, payload, attempts, next_attempt_at, claimed_until, delivered_at, last_error, created_at)
    values ('alias', 'm:a#000000000001', '{}', 1, null, null, 5, null, 1),
           ('alias', 'm:a#000000000002', '{}', 0, 10, null, null, 'boom', 2)`.execute(db);
}

async function expectMigratedRows(meta: MetadataStore): Promise<void> {
  const db = (meta as KyselyMetadataStore).kysely.withTables<{
    mlflow_outbox: {
      id: number;
      target: string;
      entity_id: string;
      delivered_at: number | null;
      refused: number;
    };
  }>();
  const rows = await db.selectFrom('mlflow_outbox').selectAll().orderBy('id').execute();
  expect(
    rows.map((r) => [
      Number(r.id),
      r.target,
      r.entity_id,
      r.delivered_at === null ? null : Number(r.delivered_at),
      Number(r.refused),
    ]),
  ).toEqual([
    [1, '', 'm:a#000000000001', 5, 0],
    [2, '', 'm:a#000000000002', null, 0],
  ]);
}

/** A mirror on the migrated store: adopts the old rows, then delivers a new run with fresh ids. */
async function mirrorAfterMigration(meta: MetadataStore): Promise<void> {
  const mlflow = new FakeMlflowServer();
  await mlflow.start();
  try {
    const artifacts = new MemoryArtifacts();
    const r = await recordFinishedRun(meta, artifacts);
    const m = createMlflowMirror({
      uri: mlflow.uri,
      meta,
      store: artifacts,
      backgroundFlush: false,
      retryBaseMs: 1,
    });
    await m.onVersionRegistered('penguins', r.version);
    await m.onRunFinished(r.runId);
    const result = await m.flush();
    // the old pending alias row names a model MLflow does not know: it fails; the new rows are delivered
    expect(result).toMatchObject({ delivered: 3 });
    const s = await m.status();
    expect(s.servers.map((t) => t.target)).toEqual([mlflow.uri]);
    expect(s.delivered).toBe(4);
    const ids = (await m.outbox.list()).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids.filter((i) => i > 2))).toBeGreaterThan(2); // new rows after the copied ids
    await m.close();
  } finally {
    await mlflow.stop();
  }
}

describe('migration 003_mlflow_outbox_target', () => {
  it('on SQLite: keeps every row of the old outbox (target "" until a mirror adopts it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myelin-outbox-003-'));
    try {
      const raw = new SqliteDatabase(join(dir, EMBEDDED_DB_FILE));
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
      await migrateTo002(db, 'sqlite');
      await insertOldRows(db);
      await db.destroy();
      const meta = await openEmbeddedMetadataStore({ dir });
      try {
        await expectMigratedRows(meta);
        await mirrorAfterMigration(meta);
      } finally {
        await meta.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(pgSkip !== null)('on PostgreSQL', () => {
    let temp: TempPostgresDatabase;
    beforeAll(async () => {
      temp = await createTempPostgresDatabase();
    });
    afterAll(async () => {
      await temp?.drop();
    });

    it('keeps every row, moves the identity past the copied ids, and the mirror works per server', async () => {
      const pool = new pg.Pool({ connectionString: temp.url, max: 1 });
      const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
      await migrateTo002(db, 'postgres');
      await insertOldRows(db);
      await db.destroy();
      const meta = await openPostgresMetadataStore({ url: temp.url });
      try {
        await expectMigratedRows(meta);
        await mirrorAfterMigration(meta);
        // a second server gets everything again, on PostgreSQL too
        const other = new FakeMlflowServer();
        await other.start();
        try {
          const m = createMlflowMirror({
            uri: other.uri,
            meta,
            store: new MemoryArtifacts(),
            backgroundFlush: false,
          });
          expect((await m.status()).notYetQueued).toBeGreaterThanOrEqual(3);
          await m.flush();
          expect(other.runs.size).toBe(1);
          expect((await m.status()).notYetQueued).toBe(0);
          await m.close();
        } finally {
          await other.stop();
        }
      } finally {
        await meta.close();
      }
    });
  });
});
