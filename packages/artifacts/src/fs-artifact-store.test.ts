import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf } from '@myelin/errors/testing';
import { FsArtifactStore } from './fs-artifact-store.js';
import { artifactStoreContract } from './testing/index.js';

function pathOf(root: string, key: string): string {
  return join(root, ...key.split('/'));
}

artifactStoreContract('FsArtifactStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'myelin-art-'));
  return {
    store: new FsArtifactStore({ root }),
    cleanup: () => rm(root, { recursive: true, force: true }),
    corrupt: async (key) => {
      const path = pathOf(root, key);
      const bytes = await readFile(path);
      bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
      await writeFile(path, bytes);
      // times a second on, as a later write has them even where file times are coarse (the store
      // hashes again a file whose identity — inode, size, times — changed since it wrote or read it)
      const later = new Date(Date.now() + 1000);
      await utimes(path, later, later);
    },
  };
});

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

async function collectChunks(stream: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return chunks;
}

describe('FsArtifactStore on disk', () => {
  let root: string;
  let store: FsArtifactStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'myelin-art-'));
    store = new FsArtifactStore({ root });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lays content out as sha256/ab/<62 hex> and locates it as a file URL', async () => {
    const { key } = await store.put(Buffer.from('layout'));
    const path = pathOf(root, key);
    expect((await readFile(path)).toString()).toBe('layout');
    expect(fileURLToPath(store.locate(key))).toBe(path);
    expect(store.describe()).toBe(`fs:${root}`);
  });

  it('defaults its root to ./.myelin/artifacts', () => {
    expect(new FsArtifactStore().root).toBe(join(process.cwd(), '.myelin', 'artifacts'));
  });

  it('leaves nothing behind when the content stream fails midway', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(1000, 1);
      yield Buffer.alloc(1000, 2);
      throw new Error('source broke');
    }
    await expect(store.put(failing())).rejects.toThrow('source broke');
    const stream = new Readable({ read() {} });
    stream.push(Buffer.alloc(10, 3));
    setImmediate(() => stream.destroy(new Error('socket reset')));
    await expect(store.put(stream)).rejects.toThrow('socket reset');
    expect(await walk(root)).toEqual([]);
    const listed = [];
    for await (const x of store.list('')) listed.push(x);
    expect(listed).toEqual([]);
  });

  it('keeps one intact artifact when the same content is put concurrently by several stores', async () => {
    const content = Buffer.alloc(256 * 1024, 5);
    const stores = Array.from({ length: 4 }, () => new FsArtifactStore({ root }));
    const results = await Promise.all(
      stores.map((s) => s.put(Readable.from([content.subarray(0, 1000), content.subarray(1000)]))),
    );
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(Buffer.compare(Buffer.from(await store.getBytes(results[0]!.key)), content)).toBe(0);
    expect((await walk(root)).filter((p) => p.includes('.tmp-'))).toEqual([]);
  });

  it('ignores leftover temp files in list and cleans them up', async () => {
    const { key } = await store.put(Buffer.from('kept'));
    const leftover = join(root, 'sha256', '.tmp-0123456789abcdef~');
    const refLeftover = join(root, 'refs', 'checkpoints', '.tmp-00ff~');
    await mkdir(join(root, 'refs', 'checkpoints'), { recursive: true });
    await writeFile(leftover, 'half a weight file');
    await writeFile(refLeftover, 'sha256/');
    const listed = [];
    for await (const x of store.list('')) listed.push(x.key);
    expect(listed).toEqual([key]);
    const refs = [];
    for await (const r of store.listRefs('')) refs.push(r);
    expect(refs).toEqual([]);
    // a young temp file may belong to a live writer in another process: left alone
    expect(await store.cleanupTempFiles()).toBe(0);
    expect(await store.cleanupTempFiles(0)).toBe(2);
    await expect(stat(leftover)).rejects.toThrow();
  });

  it('removes stale temp files on the first write of a new instance', async () => {
    await mkdir(join(root, 'sha256'), { recursive: true });
    const leftover = join(root, 'sha256', '.tmp-deadbeef~');
    await writeFile(leftover, 'crashed');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(leftover, old, old);
    await new FsArtifactStore({ root }).put(Buffer.from('x'));
    await expect(stat(leftover)).rejects.toThrow();
  });

  it('repairs a truncated artifact when the same content is put again', async () => {
    const { key } = await store.put(Buffer.alloc(100, 9));
    await writeFile(pathOf(root, key), Buffer.alloc(50, 9));
    await expect(store.getBytes(key)).rejects.toMatchObject({ code: 'MYELIN_ERR_ARTIFACT_INTEGRITY' });
    await store.put(Buffer.alloc(100, 9));
    expect((await store.getBytes(key)).length).toBe(100);
  });

  it('hashes an artifact changed after it was written or read again (verified once per file state)', async () => {
    const content = Buffer.alloc(1 << 20, 3);
    const { key } = await store.put(content);
    const path = pathOf(root, key);
    expect(Buffer.from(await store.getBytes(key)).equals(content)).toBe(true);
    expect(Buffer.concat(await collectChunks(await store.get(key))).equals(content)).toBe(true);
    // the same size, written in place, with its times moved on (as any later write moves them)
    const damaged = Buffer.from(content);
    damaged[1000] = 4;
    await writeFile(path, damaged);
    const later = new Date(Date.now() + 5000);
    await utimes(path, later, later);
    expect((await errorOf(store.getBytes(key))).code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    expect((await errorOf(store.get(key).then(collectChunks))).code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    // a shorter file in its place
    await writeFile(path, content.subarray(0, 100));
    expect((await errorOf(store.get(key).then(collectChunks))).code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    // put again: whole and readable, and a deleted key stays missing
    await rm(path);
    await store.put(content);
    expect(Buffer.concat(await collectChunks(await store.get(key))).equals(content)).toBe(true);
    await store.delete(key);
    expect((await errorOf(store.getBytes(key))).code).toBe('MYELIN_ERR_ARTIFACT_NOT_FOUND');
  });

  it('reports a damaged ref file as MYELIN_ERR_ARTIFACT_INTEGRITY', async () => {
    const { key } = await store.put(Buffer.from('x'));
    await store.putRef('latest', key);
    await writeFile(join(root, 'refs', 'latest.ref~'), 'garbage');
    expect((await errorOf(store.getRef('latest'))).code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
  });

  // Tests run as root, and chmod does not stop root. A root below a regular FILE fails for
  // every user (ENOTDIR), which is what an unusable artifact root looks like here.
  it('names the path when the root cannot be created (a file is in the way)', async () => {
    const blocker = join(root, 'not-a-folder');
    await writeFile(blocker, 'I am a file');
    const bad = new FsArtifactStore({ root: join(blocker, 'artifacts') });
    const e = await errorOf(bad.put(Buffer.from('x')));
    expect(e.code).toBe('MYELIN_ERR_ARTIFACT_IO');
    expect(e.message).toContain(join(blocker, 'artifacts'));
    expect(e.message).toMatch(/is a file, not a folder/);
    // reads against that root are plain misses, not crashes
    expect(await bad.head(`sha256/00/${'0'.repeat(62)}`)).toBeNull();
  });

  it.skipIf(process.getuid?.() === 0)(
    'says "not writable" for a read-only root (non-root users only)',
    async () => {
      await chmod(root, 0o555);
      try {
        const e = await errorOf(store.put(Buffer.from('x')));
        expect(e.code).toBe('MYELIN_ERR_ARTIFACT_IO');
        expect(e.message).toMatch(/not writable/);
      } finally {
        await chmod(root, 0o755);
      }
    },
  );
});
