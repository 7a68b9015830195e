import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { MyelinError } from '@myelin/errors';
import { createKyselyMetadataStore } from '../kysely-metadata-store.js';
import type { MetadataStore } from '../metadata-store.js';
import { retryTransient } from '../retry-transient.js';
import type { Database } from '../schema/database.js';
import type { EmbeddedMetadataStoreOptions } from './embedded-metadata-store-options.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { statementCacheDatabase } from './statement-cache-database.js';

/** File name of the embedded database inside the state folder. */
export const EMBEDDED_DB_FILE = 'metadata.db';

/**
 * Opens (creating and migrating as needed) the embedded metadata store: a SQLite file at
 * `<dir>/metadata.db` through better-sqlite3, in WAL mode with `busy_timeout` and foreign keys on.
 * Several processes may open the same file at once; every write transaction starts with
 * `BEGIN IMMEDIATE` and is retried on SQLITE_BUSY.
 *
 * @example
 * const store = await openEmbeddedMetadataStore({ dir: '.myelin' });
 * try { … } finally { await store.close(); }
 */
export async function openEmbeddedMetadataStore(
  options: EmbeddedMetadataStoreOptions = {},
): Promise<MetadataStore> {
  const dir = resolve(options.dir ?? './.myelin');
  const file = join(dir, EMBEDDED_DB_FILE);
  await ensureStateDir(dir);

  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(file, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (e) {
    throw openError(file, e);
  }
  try {
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    // Switching to WAL needs a moment alone with the file; another process opening it at the same
    // instant makes it fail with SQLITE_BUSY, so retry.
    const mode = await retryTransient(async () => sqlite.pragma('journal_mode = WAL', { simple: true }));
    if (String(mode).toLowerCase() !== 'wal') {
      throw new Error(`journal_mode is ${String(mode)}, WAL could not be enabled`);
    }
    sqlite.pragma('synchronous = NORMAL'); // durable in WAL mode up to the last checkpointed commit
    sqlite.pragma('foreign_keys = ON');
  } catch (e) {
    sqlite.close();
    throw openError(file, e);
  }

  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: statementCacheDatabase(sqlite) }),
  });
  try {
    return await createKyselyMetadataStore(db, 'sqlite', { description: `sqlite:${file}` });
  } catch (e) {
    await db.destroy();
    throw e;
  }
}

async function ensureStateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      const s = await stat(dir).catch(() => null);
      if (s?.isDirectory()) return;
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `cannot use ${dir} as the state folder: it is a file, not a folder; remove it or choose another folder`,
        { file: dir },
      );
    }
    if (code === 'ENOENT') {
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `cannot create the state folder ${dir}: its parent ${dirname(dir)} does not exist; create it or choose another folder`,
        { file: dir },
        { cause: e },
      );
    }
    if (code === 'ENOTDIR') {
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `cannot create the state folder ${dir}: a part of its path is a file, not a folder`,
        { file: dir },
        { cause: e },
      );
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `cannot create the state folder ${dir}: ${dirname(dir)} is not writable (${code}); fix its permissions or choose another folder`,
        { file: dir },
        { cause: e },
      );
    }
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `cannot create the state folder ${dir}: ${(e as Error).message}`,
      { file: dir },
      { cause: e },
    );
  }
}

function openError(file: string, e: unknown): MyelinError {
  const code = (e as { code?: string }).code ?? '';
  const message = e instanceof Error ? e.message : String(e);
  const hint = /READONLY|CANTOPEN|PERM|AUTH/.test(code)
    ? '; make the file and its folder writable or choose another state folder'
    : /NOTADB|CORRUPT/.test(code)
      ? '; the file is not a Myelin metadata database (or it is damaged)'
      : '';
  return new MyelinError(
    'MYELIN_ERR_REGISTRY',
    `cannot open the metadata store ${file}: ${message}${hint}`,
    { file },
    { cause: e },
  );
}
