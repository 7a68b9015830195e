import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataStore } from '../metadata-store.js';
import { metadataMigrations } from '../schema/migrations.js';
import {
  createTempPostgresDatabase,
  postgresTestSkipReason,
  type TempPostgresDatabase,
} from '../testing/index.js';
import { openPostgresMetadataStore } from './open-postgres-metadata-store.js';
import { RUN_EVENTS_LOCK_KEY } from './ordered-events-postgres-dialect.js';

const WRITER = fileURLToPath(new URL('../test-fixtures/postgres-concurrent-writer.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const COUNT = 20;

const skip = await postgresTestSkipReason();
if (skip) console.warn(`skipping the PostgreSQL concurrency tests: ${skip}`);

interface WriterResult {
  runs: number;
  ownVersions: number;
  sharedCreated: number;
}

/** A writer process that steps forward (open the store, then write) each time `next()` is called. */
function startWriter(url: string, id: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, url, id, String(COUNT)], {
    cwd: PACKAGE_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.filter((w) => out.split('\n').includes(w.line))) w.resolve();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<WriterResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const w of waiters) w.resolve();
      if (code !== 0) reject(new Error(`writer ${id} exited with ${code}:\n${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WriterResult);
    });
  });
  return {
    printed: (line: string) => new Promise<void>((resolve) => waiters.push({ line, resolve })),
    next: () => child.stdin.write('next\n'),
    done,
  };
}

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

async function migrationNames(): Promise<string[]> {
  return Object.keys(await metadataMigrations('postgres').getMigrations());
}

describe.skipIf(skip !== null)('several processes on one PostgreSQL database', () => {
  const dbs: TempPostgresDatabase[] = [];
  const freshDatabase = async (): Promise<TempPostgresDatabase> => {
    const db = await createTempPostgresDatabase();
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('four stores opening an empty database at once apply each migration once', async () => {
    const db = await freshDatabase();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresMetadataStore({ url: db.url, poolSize: 2 })),
    );
    try {
      const run = await stores[0]!.createRun({ pipeline: 'p', trigger: 'cli', specHash: 'h', specText: '' });
      for (const s of stores) expect((await s.getRun(run.id))?.id).toBe(run.id);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    const applied = await query<{ name: string }>(db.url, 'select name from myelin_migration order by name');
    expect(applied.map((r) => r.name)).toEqual(await migrationNames());
  });

  it(
    'two writer processes: migrate once, number versions consecutively, register each manifest once',
    { timeout: 120_000 },
    async () => {
      const db = await freshDatabase();
      const writers = [startWriter(db.url, 'a'), startWriter(db.url, 'b')];
      // Both open the empty database at the same moment (racing to migrate), then write together.
      await Promise.all(writers.map((w) => w.printed('started')));
      for (const w of writers) w.next();
      await Promise.all(writers.map((w) => w.printed('ready')));
      for (const w of writers) w.next();
      const [a, b] = await Promise.all(writers.map((w) => w.done));
      expect(a!.sharedCreated + b!.sharedCreated).toBe(COUNT);

      const applied = await query<{ name: string }>(
        db.url,
        'select name from myelin_migration order by name',
      );
      expect(applied.map((r) => r.name)).toEqual(await migrationNames());

      const store = await openPostgresMetadataStore({ url: db.url });
      try {
        expect((await store.listRuns({ limit: 500 })).runs).toHaveLength(2 * COUNT);
        expect(await store.listEvents({ limit: 10_000 })).toHaveLength(2 * COUNT);
        const model = await store.getModel('contended');
        expect(model?.versions.map((v) => v.version)).toEqual(
          Array.from({ length: 3 * COUNT }, (_, i) => i + 1),
        );
        const manifests = model?.versions.map((v) => v.manifestKey) ?? [];
        expect(new Set(manifests).size).toBe(3 * COUNT);
        for (let i = 0; i < COUNT; i++) {
          expect(manifests).toContain(`own-a-${i}`);
          expect(manifests).toContain(`own-b-${i}`);
          expect(manifests).toContain(`shared-${i}`);
        }
        // every alias move is recorded, and replaying the history ends where the aliases are now
        const replay = new Map<string, number | null>();
        for (const h of await store.aliasHistory('contended')) {
          expect(h.fromVersion).toBe(replay.get(h.alias) ?? null);
          replay.set(h.alias, h.toVersion);
        }
        expect(Object.fromEntries(replay)).toEqual(model?.aliases);
      } finally {
        await store.close();
      }
    },
  );
});

describe.skipIf(skip !== null)('run event ids on PostgreSQL', () => {
  let db: TempPostgresDatabase;
  let store: MetadataStore;
  beforeAll(async () => {
    db = await createTempPostgresDatabase();
    store = await openPostgresMetadataStore({ url: db.url });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('an event append waits until an earlier event transaction commits, then takes the next id', async () => {
    const run = await store.createRun({ pipeline: 'p', trigger: 'cli', specHash: 'h', specText: '' });
    const other = new pg.Client({ connectionString: db.url, application_name: 'earlier-writer' });
    await other.connect();
    try {
      // Another writer is half-way through an event transaction: it holds the lock and has drawn an id.
      await other.query('begin');
      await other.query(`select pg_advisory_xact_lock(${RUN_EVENTS_LOCK_KEY})`);
      const drawn = await other.query<{ id: number }>(
        `insert into run_events (run_id, type, payload, ts) values ($1, 'earlier', 'null', 0) returning id`,
        [run.id],
      );
      const appended = store.appendEvent(run.id, 'later');
      // The store's append is blocked on the lock (not on anything else) until the other commits.
      await waitFor(async () => {
        const waiting = await query<{ n: number }>(
          db.url,
          `select count(*)::int as n from pg_locks
            where locktype = 'advisory' and not granted
              and database = (select oid from pg_database where datname = $1)`,
          [db.name],
        );
        return waiting[0]!.n === 1;
      });
      expect(await store.listEvents({ runId: run.id })).toEqual([]);
      await other.query('commit');
      const later = await appended;
      expect(later.id).toBeGreaterThan(Number(drawn.rows[0]!.id));
      expect((await store.listEvents({ runId: run.id })).map((e) => e.type)).toEqual(['earlier', 'later']);
    } finally {
      await other.end();
    }
  });

  it(
    'a reader paging with afterId during concurrent appends from two pools misses nothing',
    { timeout: 60_000 },
    async () => {
      const second = await openPostgresMetadataStore({ url: db.url, poolSize: 8 });
      try {
        const runs = await Promise.all(
          [0, 1, 2, 3].map((i) =>
            store.createRun({ pipeline: 'p', trigger: 'api', specHash: `h${i}`, specText: '' }),
          ),
        );
        const start = (await store.listEvents({ limit: 10_000 })).at(-1)?.id ?? 0;
        const appenders = [store, second].flatMap((s, si) =>
          Array.from({ length: 8 }, async (_, li) => {
            for (let i = 0; i < 25; i++)
              await s.appendEvent(runs[(si + li) % runs.length]!.id, 'tick', { si, li, i });
          }),
        );
        let writing = true;
        const all = Promise.all(appenders).finally(() => (writing = false));
        const seen: number[] = [];
        let after = start;
        const poll = async (): Promise<void> => {
          const page = await second.listEvents({ afterId: after, limit: 10_000 });
          for (const e of page) seen.push(e.id);
          after = page.at(-1)?.id ?? after;
        };
        while (writing) await poll();
        await all;
        await poll();
        const committed = (await store.listEvents({ afterId: start, limit: 10_000 })).map((e) => e.id);
        expect(committed).toHaveLength(2 * 8 * 25);
        expect(seen).toEqual(committed);
      } finally {
        await second.close();
      }
    },
  );
});

/** Polls `check` until it holds (the test's own timeout bounds the wait). */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}
