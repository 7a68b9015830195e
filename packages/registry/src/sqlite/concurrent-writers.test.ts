import { metadataMigrations } from '../schema/migrations.js';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedMetadataStore } from './open-embedded-metadata-store.js';

const WRITER = fileURLToPath(new URL('../test-fixtures/concurrent-writer.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const COUNT = 25;

interface WriterResult {
  runs: number;
  ownVersions: number;
  sharedCreated: number;
}

/** Starts a writer process; `ready` settles once it has opened the store, `go()` starts its loop. */
function startWriter(
  dir: string,
  id: string,
): { ready: Promise<void>; go: () => void; done: Promise<WriterResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, id, String(COUNT)], {
    cwd: PACKAGE_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<WriterResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      onReady();
      if (code !== 0) reject(new Error(`writer ${id} exited with ${code}:\n${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WriterResult);
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), done };
}

describe('two processes writing one embedded store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'myelin-reg-conc-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'loses nothing, numbers versions consecutively and keeps the file intact',
    { timeout: 60_000 },
    async () => {
      // Both start on an empty folder: they also race to create and migrate the database. Then both
      // loops start together so that their transactions contend for the write lock.
      const writers = [startWriter(dir, 'a'), startWriter(dir, 'b')];
      await Promise.all(writers.map((w) => w.ready));
      for (const w of writers) w.go();
      const [a, b] = await Promise.all(writers.map((w) => w.done));
      expect(a!.sharedCreated + b!.sharedCreated).toBe(COUNT);

      const store = await openEmbeddedMetadataStore({ dir });
      try {
        const runs = await store.listRuns({ limit: 500 });
        expect(runs.runs).toHaveLength(2 * COUNT);
        expect(new Set(runs.runs.map((r) => r.id)).size).toBe(2 * COUNT);
        expect(runs.runs.every((r) => r.status === 'succeeded')).toBe(true);
        const detail = await store.getRun(runs.runs[0]!.id);
        expect(detail?.steps).toHaveLength(1);
        expect(detail?.steps[0]?.logs).toMatch(/^writer [ab] line \d+\n$/);
        expect(await store.listEpochs(runs.runs[0]!.id)).toHaveLength(1);
        expect(await store.listEvents({ limit: 10_000 })).toHaveLength(2 * COUNT);

        const model = await store.getModel('contended');
        const numbers = model?.versions.map((v) => v.version) ?? [];
        expect(numbers).toEqual(Array.from({ length: 3 * COUNT }, (_, i) => i + 1));
        expect(new Set(model?.versions.map((v) => v.manifestKey)).size).toBe(3 * COUNT);
        const history = await store.aliasHistory('contended');
        // every alias move is recorded, and replaying the history ends where the aliases are now
        const replay = new Map<string, number | null>();
        for (const h of history) {
          expect(h.fromVersion).toBe(replay.get(h.alias) ?? null);
          replay.set(h.alias, h.toVersion);
        }
        expect(Object.fromEntries(replay)).toEqual(model?.aliases);
      } finally {
        await store.close();
      }

      const raw = new SqliteDatabase(join(dir, 'metadata.db'), { readonly: true });
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(raw.pragma('foreign_key_check')).toEqual([]);
        const migrations = Object.keys(await metadataMigrations('sqlite').getMigrations()).length;
        expect(raw.prepare('select count(*) as n from myelin_migration').get()).toEqual({ n: migrations });
      } finally {
        raw.close();
      }
    },
  );
});
