import { createHash, randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { MyelinError } from '@myelin/errors';
import type {
  ArtifactContent,
  ArtifactInfo,
  ArtifactStore,
  PutOptions,
  PutResult,
} from './artifact-store.js';
import {
  assertContentKey,
  assertListPrefix,
  assertRefName,
  assertRefPrefix,
  contentKey,
  parseContentKey,
} from './artifact-keys.js';
import { toArtifactIoError } from './artifact-io-error.js';
import { contentChunks } from './content-chunks.js';
import type { FsArtifactStoreOptions } from './fs-artifact-store-options.js';
import { holdStreamErrors } from './hold-stream-errors.js';
import { readWholeFile } from './read-whole-file.js';
import { verifySha256Stream } from './verify-sha256-stream.js';

const TEMP_NAME = /^\.tmp-[0-9a-f]+~$/;
const REF_SUFFIX = '.ref~';
const HEX2 = /^[0-9a-f]{2}$/;
const HEX62 = /^[0-9a-f]{62}$/;
/**
 * Bytes a content read asks the disk for at a time (less for a smaller file): chunks that hold
 * whole Arrow record batches (about 8 MiB in a dataset part) let a reader take them without
 * joining pieces into a copy.
 */
const READ_CHUNK = 16 << 20;

/**
 * The default `ArtifactStore`: a folder on the local disk.
 *
 * Layout under `root`:
 * - `sha256/ab/<62 hex>` — the content of key `sha256/ab/<62 hex>`;
 * - `refs/<name>.ref~` — a ref (`refs/checkpoints/r-1/latest.ref~`), its content the target key.
 *   The `~` is outside the ref alphabet, so a ref `a` and a ref `a/b` never collide on disk.
 * - `.tmp-<hex>~` — a write in progress (under `sha256/` for content, beside the ref for refs).
 *
 * Every write goes to a temp file on the same file system, is fsynced, renamed into place, and the
 * folder is fsynced, so a crash leaves either the whole artifact or nothing under its key. The hash
 * is computed while the content streams in; a content put lands in `sha256/` first and is renamed
 * into `sha256/ab/` once its hash is known. Leftover temp files are skipped by `list` and removed by
 * the first write once they are older than `staleTempAfterMs`.
 *
 * Reads verify the content hash as the bytes flow (`get`) or before they are returned
 * (`getBytes`), once per file state and store instance: after this instance wrote a key (hashing
 * the bytes as they went to disk) or read it whole and found it intact, it remembers the file's
 * identity (device, inode, size, mtime and ctime in ns), and a later read of the same, unchanged
 * file skips the hash — a pipeline that writes a dataset and reads it in two steps hashes it once,
 * not three times. A file replaced or written since has another identity and is hashed again
 * (on a kernel with coarse file timestamps, an in-place rewrite of the same size within the same
 * clock tick keeps its times; a new process, or a new store instance, hashes everything again).
 */
export class FsArtifactStore implements ArtifactStore {
  /** Absolute root folder. */
  readonly root: string;
  readonly #staleTempAfterMs: number;
  readonly #fsync: boolean;
  #ready: Promise<void> | undefined;
  /**
   * Keys whose file this instance wrote, or read whole and found to hash to the key, with the
   * file's identity then (see `fileIdentity`): a later read of the same, unchanged file is not
   * hashed again.
   */
  readonly #verified = new Map<string, string>();

  constructor(options: FsArtifactStoreOptions = {}) {
    this.root = resolve(options.root ?? './.myelin/artifacts');
    this.#staleTempAfterMs = options.staleTempAfterMs ?? 3_600_000;
    this.#fsync = options.fsync ?? true;
  }

  describe(): string {
    return `fs:${this.root}`;
  }

  locate(key: string): string {
    return pathToFileURL(this.#contentPath(assertContentKey(key))).href;
  }

  async put(content: ArtifactContent, _opts?: PutOptions): Promise<PutResult> {
    // A stream that fails before we start reading it must not become an uncaught 'error' event;
    // the failure still surfaces when the stream is iterated below.
    const release = holdStreamErrors(content);
    try {
      return await this.#put(content);
    } finally {
      release();
    }
  }

  async #put(content: ArtifactContent): Promise<PutResult> {
    await this.#ensureReady();
    const contentDir = join(this.root, 'sha256');
    const tmp = join(contentDir, tempName());
    const fh = await openTemp(tmp);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of contentChunks(content)) {
        // the write runs on the thread pool while this thread hashes the same bytes
        const written = writeAll(fh, chunk, tmp);
        hash.update(chunk);
        size += chunk.byteLength;
        await written;
      }
      if (this.#fsync)
        await fh.sync().catch((e: unknown) => Promise.reject(toArtifactIoError(e, tmp, 'flush')));
      await fh.close();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
    const sha256 = hash.digest('hex');
    const key = contentKey(sha256);
    const finalPath = this.#contentPath(sha256);
    try {
      const existing = await stat(finalPath).catch(() => null);
      if (existing?.isFile() && existing.size === size) {
        await rm(tmp, { force: true });
        return { key, sha256, size };
      }
      const shardDir = dirname(finalPath);
      const created = await mkdir(shardDir, { recursive: true }).catch((e: unknown) => {
        throw toArtifactIoError(e, shardDir, 'create the folder');
      });
      if (created !== undefined) await this.#syncDir(contentDir);
      await rename(tmp, finalPath).catch((e: unknown) => {
        throw toArtifactIoError(e, finalPath, 'write');
      });
      await this.#syncDir(shardDir);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
    // this instance hashed these bytes as it wrote them: a read of the unchanged file needs no hash
    const written = await stat(finalPath, { bigint: true }).catch(() => null);
    if (written?.size === BigInt(size)) this.#verified.set(key, fileIdentity(written));
    return { key, sha256, size };
  }

  async get(key: string): Promise<NodeJS.ReadableStream & AsyncIterable<Uint8Array>> {
    const sha = assertContentKey(key);
    const path = this.#contentPath(sha);
    let fh: FileHandle;
    let stats: BigIntStats;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      throw this.#readError(e, key, path);
    }
    try {
      stats = await fh.stat({ bigint: true });
    } catch (e) {
      await fh.close().catch(() => undefined);
      throw toArtifactIoError(e, path, 'read');
    }
    const identity = fileIdentity(stats);
    const size = Number(stats.size);
    // `end` bounds each read's buffer by what is left of the file
    const source = fh.createReadStream({ highWaterMark: READ_CHUNK, ...(size > 0 ? { end: size - 1 } : {}) });
    if (this.#verified.get(key) === identity) {
      const plain = new PassThrough({ readableHighWaterMark: READ_CHUNK });
      source.on('error', (e) => plain.destroy(toArtifactIoError(e, path, 'read')));
      plain.on('close', () => source.destroy());
      return source.pipe(plain);
    }
    return verifySha256Stream(source, {
      sha256: sha,
      stream: { readableHighWaterMark: READ_CHUNK },
      mismatch: (actual) => integrityError(key, path, actual),
      readError: (e) => toArtifactIoError(e, path, 'read'),
      verified: () => this.#verified.set(key, identity),
    });
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const sha = assertContentKey(key);
    const path = this.#contentPath(sha);
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      throw this.#readError(e, key, path);
    }
    let bytes: Buffer;
    let identity: string;
    try {
      const st = await fh.stat({ bigint: true });
      identity = fileIdentity(st);
      bytes = await readWholeFile(fh, Number(st.size));
    } catch (e) {
      throw toArtifactIoError(e, path, 'read');
    } finally {
      await fh.close().catch(() => undefined);
    }
    if (this.#verified.get(key) === identity) return bytes;
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha) throw integrityError(key, path, actual);
    this.#verified.set(key, identity);
    return bytes;
  }

  async head(key: string): Promise<ArtifactInfo | null> {
    const path = this.#contentPath(assertContentKey(key));
    try {
      const s = await stat(path);
      return s.isFile() ? { key, size: s.size } : null;
    } catch (e) {
      if (isMissing(e)) return null;
      throw toArtifactIoError(e, path, 'read');
    }
  }

  async *list(prefix: string): AsyncIterable<ArtifactInfo> {
    assertListPrefix(prefix);
    const contentDir = join(this.root, 'sha256');
    for (const shard of await readNames(contentDir)) {
      if (!HEX2.test(shard)) continue;
      const shardPrefix = `sha256/${shard}/`;
      if (!shardPrefix.startsWith(prefix) && !prefix.startsWith(shardPrefix)) continue;
      for (const name of await readNames(join(contentDir, shard))) {
        if (!HEX62.test(name)) continue;
        const key = shardPrefix + name;
        if (!key.startsWith(prefix)) continue;
        const s = await stat(join(contentDir, shard, name)).catch(() => null);
        if (s?.isFile()) yield { key, size: s.size };
      }
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.#contentPath(assertContentKey(key));
    this.#verified.delete(key);
    await rm(path, { force: true }).catch((e: unknown) => {
      throw toArtifactIoError(e, path, 'delete');
    });
  }

  async putRef(name: string, key: string): Promise<void> {
    assertRefName(name);
    assertContentKey(key);
    if ((await this.head(key)) === null) {
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_NOT_FOUND',
        `cannot point ref "${name}" at ${key}: no such artifact`,
      );
    }
    await this.#ensureReady();
    const path = this.#refPath(name);
    const dir = dirname(path);
    await mkdir(dir, { recursive: true }).catch((e: unknown) => {
      throw toArtifactIoError(e, dir, 'create the folder');
    });
    const tmp = join(dir, tempName());
    const fh = await openTemp(tmp);
    try {
      await writeAll(fh, Buffer.from(`${key}\n`, 'utf8'), tmp);
      if (this.#fsync)
        await fh.sync().catch((e: unknown) => Promise.reject(toArtifactIoError(e, tmp, 'flush')));
      await fh.close();
      await rename(tmp, path).catch((e: unknown) => {
        throw toArtifactIoError(e, path, 'write');
      });
    } catch (e) {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
    await this.#syncDir(dir);
  }

  async getRef(name: string): Promise<string | null> {
    const path = this.#refPath(assertRefName(name));
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if (isMissing(e)) return null;
      throw toArtifactIoError(e, path, 'read');
    }
    const key = text.trim();
    if (parseContentKey(key) === null) {
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_INTEGRITY',
        `ref "${name}" is damaged: it holds ${JSON.stringify(key.slice(0, 80))}, not an artifact key; point it again with putRef`,
        { file: path },
      );
    }
    return key;
  }

  async *listRefs(prefix: string): AsyncIterable<string> {
    assertRefPrefix(prefix);
    const refsDir = join(this.root, 'refs');
    const cut = prefix.lastIndexOf('/');
    const startRel = cut < 0 ? '' : prefix.slice(0, cut);
    const names: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      const dir = rel ? join(refsDir, ...rel.split('/')) : refsDir;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (isMissing(e)) return;
        throw toArtifactIoError(e, dir, 'read');
      }
      for (const entry of entries) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(child);
        else if (entry.isFile() && entry.name.endsWith(REF_SUFFIX)) {
          const name = child.slice(0, -REF_SUFFIX.length);
          if (name.startsWith(prefix)) names.push(name);
        }
      }
    };
    await walk(startRel);
    names.sort();
    yield* names;
  }

  async deleteRef(name: string): Promise<void> {
    const path = this.#refPath(assertRefName(name));
    await rm(path, { force: true }).catch((e: unknown) => {
      throw toArtifactIoError(e, path, 'delete');
    });
  }

  /**
   * Removes temp files left by crashed writers that are older than `olderThanMs`
   * (default: the store's `staleTempAfterMs`). Returns how many it removed.
   */
  async cleanupTempFiles(olderThanMs: number = this.#staleTempAfterMs): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const sweep = async (dir: string, recurse: boolean): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (recurse) await sweep(path, true);
        } else if (TEMP_NAME.test(entry.name)) {
          const s = await stat(path).catch(() => null);
          if (s && s.mtimeMs <= cutoff) {
            await rm(path, { force: true }).catch(() => undefined);
            removed++;
          }
        }
      }
    };
    await sweep(join(this.root, 'sha256'), false);
    await sweep(join(this.root, 'refs'), true);
    return removed;
  }

  #contentPath(sha: string): string {
    return join(this.root, 'sha256', sha.slice(0, 2), sha.slice(2));
  }

  #refPath(name: string): string {
    return join(this.root, 'refs', ...name.split('/')) + REF_SUFFIX;
  }

  #readError(e: unknown, key: string, path: string): MyelinError {
    if (isMissing(e)) {
      return new MyelinError(
        'MYELIN_ERR_ARTIFACT_NOT_FOUND',
        `artifact ${key} is not in ${this.describe()}`,
        {
          file: path,
        },
      );
    }
    return toArtifactIoError(e, path, 'read');
  }

  #ensureReady(): Promise<void> {
    this.#ready ??= (async () => {
      for (const dir of [join(this.root, 'sha256'), join(this.root, 'refs')]) {
        await mkdir(dir, { recursive: true }).catch((e: unknown) => {
          throw toArtifactIoError(e, dir, 'create the artifact folder');
        });
      }
      await this.cleanupTempFiles().catch(() => 0);
    })().catch((e: unknown) => {
      this.#ready = undefined;
      throw e;
    });
    return this.#ready;
  }

  async #syncDir(dir: string): Promise<void> {
    if (!this.#fsync) return;
    let fh: FileHandle | undefined;
    try {
      fh = await open(dir, 'r');
      await fh.sync();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Some file systems cannot fsync a folder; the rename is still atomic there.
      if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') {
        throw toArtifactIoError(e, dir, 'flush the folder');
      }
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }
}

/** What tells one state of a file from another without reading it: inode, size, mtime and ctime (ns). */
function fileIdentity(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

function tempName(): string {
  return `.tmp-${randomBytes(8).toString('hex')}~`;
}

async function openTemp(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx');
  } catch (e) {
    throw toArtifactIoError(e, path, 'create a temp file');
  }
}

async function writeAll(fh: FileHandle, chunk: Uint8Array, path: string): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    try {
      const { bytesWritten } = await fh.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    } catch (e) {
      throw toArtifactIoError(e, path, 'write');
    }
  }
}

async function readNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if (isMissing(e)) return [];
    throw toArtifactIoError(e, dir, 'read');
  }
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function integrityError(key: string, path: string, actual: string): MyelinError {
  return new MyelinError(
    'MYELIN_ERR_ARTIFACT_INTEGRITY',
    `artifact ${key} is corrupt: its content hashes to sha256 ${actual}; delete it and store it again from its source`,
    { file: path },
  );
}
