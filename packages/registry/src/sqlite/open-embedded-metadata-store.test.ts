import { metadataMigrations } from '../schema/migrations.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf } from '@myelin/errors/testing';
import { metadataStoreContract } from '../testing/index.js';
import { openEmbeddedMetadataStore } from './open-embedded-metadata-store.js';

metadataStoreContract('embedded SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'myelin-reg-'));
  const store = await openEmbeddedMetadataStore({ dir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('openEmbeddedMetadataStore', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'myelin-reg-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates <dir>/metadata.db in WAL mode and keeps data across re-opens (migrations run once)', async () => {
    const dir = join(root, '.myelin');
    const first = await openEmbeddedMetadataStore({ dir });
    expect(first.describe()).toBe(`sqlite:${join(dir, 'metadata.db')}`);
    const run = await first.createRun({ pipeline: 'p', trigger: 'cli', specHash: 'h', specText: '' });
    await first.close();
    const second = await openEmbeddedMetadataStore({ dir });
    expect((await second.getRun(run.id))?.id).toBe(run.id);
    await second.close();
    const raw = new SqliteDatabase(join(dir, 'metadata.db'), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const names = Object.keys(await metadataMigrations('sqlite').getMigrations()).sort();
      expect(raw.prepare('select name from myelin_migration order by name').all()).toEqual(
        names.map((name) => ({ name })),
      );
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
  });

  it('enforces foreign keys', async () => {
    const store = await openEmbeddedMetadataStore({ dir: root });
    await store.close();
    // the store's own connection has them on: an alias cannot point at a missing version
    const again = await openEmbeddedMetadataStore({ dir: root });
    await again.registerVersion({
      model: 'm',
      manifestKey: 'k',
      metrics: {},
      gates: {},
      runId: 'r',
      specHash: 's',
      dataHash: 'd',
      codeVersion: '0',
      who: 't',
    });
    expect((await errorOf(again.setAlias('m', 'prod', 2, { who: 't' }))).code).toBe(
      'MYELIN_ERR_REGISTRY_NOT_FOUND',
    );
    await again.close();
  });

  it('names the path when the parent folder does not exist', async () => {
    const dir = join(root, 'no-such-parent', '.myelin');
    const e = await errorOf(openEmbeddedMetadataStore({ dir }));
    expect(e.code).toBe('MYELIN_ERR_REGISTRY');
    expect(e.message).toContain(dir);
    expect(e.message).toMatch(/does not exist/);
  });

  // Tests run as root, where chmod does not stop writes; a path through a regular file fails for everyone.
  it('names the path when a file is in the way', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const under = await errorOf(openEmbeddedMetadataStore({ dir: join(file, '.myelin') }));
    expect(under.code).toBe('MYELIN_ERR_REGISTRY');
    expect(under.message).toContain(join(file, '.myelin'));
    const itself = await errorOf(openEmbeddedMetadataStore({ dir: file }));
    expect(itself.message).toMatch(/is a file, not a folder/);
  });

  it('refuses a file that is not a database', async () => {
    await writeFile(join(root, 'metadata.db'), 'this is not sqlite '.repeat(100));
    const e = await errorOf(openEmbeddedMetadataStore({ dir: root }));
    expect(e.code).toBe('MYELIN_ERR_REGISTRY');
    expect(e.message).toContain(join(root, 'metadata.db'));
  });

  it('refuses a database written by a newer Myelin', async () => {
    await (await openEmbeddedMetadataStore({ dir: root })).close();
    const raw = new SqliteDatabase(join(root, 'metadata.db'));
    raw.prepare("insert into myelin_migration (name, timestamp) values ('999_future', '2099-01-01')").run();
    raw.close();
    const e = await errorOf(openEmbeddedMetadataStore({ dir: root }));
    expect(e.code).toBe('MYELIN_ERR_REGISTRY');
    expect(e.message).toMatch(/newer Myelin/);
  });
});
