import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTransientDbError, retryTransient } from '../retry-transient.js';
import { openEmbeddedMetadataStore } from './open-embedded-metadata-store.js';

describe('a busy embedded database', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'myelin-reg-busy-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('retries a write until another connection releases its write lock', async () => {
    // busy_timeout 0: every lock wait surfaces as SQLITE_BUSY at once, so the store's own retry does the waiting
    const store = await openEmbeddedMetadataStore({ dir, busyTimeoutMs: 0 });
    const other = new SqliteDatabase(join(dir, 'metadata.db'));
    try {
      other.exec('begin immediate');
      const write = store.createRun({ pipeline: 'p', trigger: 'cli', specHash: 'h', specText: '' });
      setTimeout(() => other.exec('commit'), 100);
      const run = await write;
      expect((await store.getRun(run.id))?.id).toBe(run.id);
    } finally {
      other.close();
      await store.close();
    }
  });
});

describe('retryTransient', () => {
  const busy = (): Error => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

  it('runs again after a transient error and returns the result', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls++;
      if (calls < 3) throw busy();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('does not retry other errors and gives up after the attempts', async () => {
    let calls = 0;
    await expect(
      retryTransient(async () => {
        calls++;
        throw new Error('syntax error');
      }),
    ).rejects.toThrow('syntax error');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw busy();
        },
        isTransientDbError,
        2,
      ),
    ).rejects.toThrow('database is locked');
    expect(calls).toBe(2);
  });

  it('knows the transient codes of SQLite and PostgreSQL', () => {
    expect(isTransientDbError({ code: 'SQLITE_BUSY_SNAPSHOT' })).toBe(true);
    expect(isTransientDbError({ code: '40001' })).toBe(true);
    expect(isTransientDbError({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(false);
    expect(isTransientDbError(undefined)).toBe(false);
  });
});
