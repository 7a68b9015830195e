import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import type { ArtifactStore } from '../artifact-store.js';

/** What a contract run needs from the adapter under test. */
export interface ArtifactStoreFixture {
  store: ArtifactStore;
  /** Removes everything the fixture created. */
  cleanup: () => Promise<void>;
  /**
   * Flips one byte of the stored content of `key` behind the store's back (a file on disk, an
   * object in the bucket). Without it the integrity cases are skipped.
   */
  corrupt?: (key: string) => Promise<void>;
}

const enc = new TextEncoder();

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MyelinError) return e.code;
    throw e;
  }
  return undefined;
}

async function toArray<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * The behaviour every `ArtifactStore` adapter must show, as vitest `describe`/`it` blocks.
 * Call it from an adapter's test file with a factory that makes a fresh, empty store.
 *
 * @example
 * artifactStoreContract('FsArtifactStore', async () => {
 *   const root = await mkdtemp(join(tmpdir(), 'art-'));
 *   return { store: new FsArtifactStore({ root }), cleanup: () => rm(root, { recursive: true }) };
 * });
 */
export function artifactStoreContract(name: string, makeStore: () => Promise<ArtifactStoreFixture>): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let fx: ArtifactStoreFixture;
    beforeEach(async () => {
      fx = await makeStore();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('round-trips bytes and returns the sha256 key', async () => {
      const bytes = enc.encode('hello myelin');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const put = await fx.store.put(bytes, { contentType: 'text/plain' });
      expect(put).toEqual({
        key: `sha256/${sha.slice(0, 2)}/${sha.slice(2)}`,
        sha256: sha,
        size: bytes.length,
      });
      expect(Buffer.from(await fx.store.getBytes(put.key)).toString()).toBe('hello myelin');
      expect((await collect(await fx.store.get(put.key))).toString()).toBe('hello myelin');
    });

    it('stores an empty artifact', async () => {
      const put = await fx.store.put(new Uint8Array(0));
      expect(put.size).toBe(0);
      expect((await fx.store.getBytes(put.key)).length).toBe(0);
    });

    it('puts from a Node stream and from an async iterable, in many chunks', async () => {
      const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(1024, i));
      const whole = Buffer.concat(chunks);
      const fromStream = await fx.store.put(Readable.from(chunks));
      async function* gen(): AsyncGenerator<Uint8Array> {
        for (const c of chunks) yield c;
      }
      const fromIterable = await fx.store.put(gen());
      expect(fromIterable.key).toBe(fromStream.key);
      expect(fromStream.size).toBe(whole.length);
      expect(Buffer.compare(await collect(await fx.store.get(fromStream.key)), whole)).toBe(0);
    });

    it('is idempotent: the same content twice gives the same key and one artifact', async () => {
      const a = await fx.store.put(enc.encode('same'));
      const b = await fx.store.put(enc.encode('same'));
      expect(b).toEqual(a);
      expect(await toArray(fx.store.list(''))).toEqual([{ key: a.key, size: 4 }]);
    });

    it('head, list by prefix and delete', async () => {
      expect(await toArray(fx.store.list(''))).toEqual([]);
      const keys = [];
      for (const text of ['a', 'bb', 'ccc', 'dddd']) keys.push((await fx.store.put(enc.encode(text))).key);
      const first = keys[0] as string;
      expect(await fx.store.head(first)).toEqual({ key: first, size: 1 });
      const all = await toArray(fx.store.list('sha256/'));
      expect(all.map((x) => x.key)).toEqual([...keys].sort());
      const shard = first.slice(0, 'sha256/ab'.length);
      const inShard = await toArray(fx.store.list(shard));
      expect(inShard.map((x) => x.key)).toContain(first);
      expect(inShard.every((x) => x.key.startsWith(shard))).toBe(true);
      expect(await toArray(fx.store.list(first))).toEqual([{ key: first, size: 1 }]);
      await fx.store.delete(first);
      expect(await fx.store.head(first)).toBeNull();
      await fx.store.delete(first); // absent: no-op
      expect(await toArray(fx.store.list(''))).toHaveLength(3);
    });

    it('reports a missing artifact as MYELIN_ERR_ARTIFACT_NOT_FOUND', async () => {
      const missing = `sha256/00/${'0'.repeat(62)}`;
      expect(await fx.store.head(missing)).toBeNull();
      expect(await codeOf(fx.store.getBytes(missing))).toBe('MYELIN_ERR_ARTIFACT_NOT_FOUND');
      expect(await codeOf(fx.store.get(missing))).toBe('MYELIN_ERR_ARTIFACT_NOT_FOUND');
    });

    it('detects a flipped byte on getBytes and at the end of get', async (ctx) => {
      if (!fx.corrupt) ctx.skip();
      const { key } = await fx.store.put(Buffer.alloc(4096, 7));
      await fx.corrupt?.(key);
      expect(await codeOf(fx.store.getBytes(key))).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
      expect(await codeOf(fx.store.get(key).then(collect))).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    });

    it('refs: put, replace, get, list, delete', async () => {
      const a = await fx.store.put(enc.encode('checkpoint 1'));
      const b = await fx.store.put(enc.encode('checkpoint 2'));
      expect(await fx.store.getRef('checkpoints/r-1/latest')).toBeNull();
      await fx.store.putRef('checkpoints/r-1/latest', a.key);
      expect(await fx.store.getRef('checkpoints/r-1/latest')).toBe(a.key);
      await fx.store.putRef('checkpoints/r-1/latest', b.key);
      expect(await fx.store.getRef('checkpoints/r-1/latest')).toBe(b.key);
      await fx.store.putRef('checkpoints/r-1', a.key); // a ref and a "folder" of refs with one name
      await fx.store.putRef('checkpoints/r-2/latest', a.key);
      expect(await toArray(fx.store.listRefs('checkpoints/r-1'))).toEqual([
        'checkpoints/r-1',
        'checkpoints/r-1/latest',
      ]);
      expect(await toArray(fx.store.listRefs('checkpoints/'))).toHaveLength(3);
      expect(await toArray(fx.store.listRefs(''))).toHaveLength(3);
      await fx.store.deleteRef('checkpoints/r-1/latest');
      expect(await fx.store.getRef('checkpoints/r-1/latest')).toBeNull();
      expect(await fx.store.getBytes(b.key)).toBeDefined(); // the target stays
      const missing = `sha256/00/${'0'.repeat(62)}`;
      expect(await codeOf(fx.store.putRef('x', missing))).toBe('MYELIN_ERR_ARTIFACT_NOT_FOUND');
    });

    it('rejects bad keys and ref names with MYELIN_ERR_ARTIFACT_KEY', async () => {
      const { key } = await fx.store.put(enc.encode('k'));
      const badKeys = [
        '',
        'sha256/ab',
        `sha256/AB/${'c'.repeat(62)}`,
        `sha256/ab/${'c'.repeat(61)}`,
        `sha256/../${'c'.repeat(62)}`,
        `/etc/passwd`,
        `sha256\\ab\\${'c'.repeat(62)}`,
        `md5/ab/${'c'.repeat(62)}`,
      ];
      for (const bad of badKeys) {
        expect(await codeOf(fx.store.getBytes(bad)), bad).toBe('MYELIN_ERR_ARTIFACT_KEY');
        expect(await codeOf(fx.store.head(bad)), bad).toBe('MYELIN_ERR_ARTIFACT_KEY');
        expect(await codeOf(fx.store.delete(bad)), bad).toBe('MYELIN_ERR_ARTIFACT_KEY');
        expect(await codeOf(fx.store.putRef('ok', bad)), bad).toBe('MYELIN_ERR_ARTIFACT_KEY');
      }
      expect(() => fx.store.locate('../x')).toThrow(MyelinError);
      const badNames = ['', '../up', 'a/../b', '/abs', 'a\\b', 'a//b', 'a/', 'sp ace', 'a/./b', 'é'];
      for (const bad of badNames) {
        expect(await codeOf(fx.store.putRef(bad, key)), bad).toBe('MYELIN_ERR_ARTIFACT_KEY');
        expect(await codeOf(fx.store.getRef(bad)), bad).toBe('MYELIN_ERR_ARTIFACT_KEY');
      }
      expect(await codeOf(toArray(fx.store.list('../')))).toBe('MYELIN_ERR_ARTIFACT_KEY');
      expect(await codeOf(toArray(fx.store.listRefs('../')))).toBe('MYELIN_ERR_ARTIFACT_KEY');
    });

    it('describes itself and locates keys as URIs', async () => {
      const { key } = await fx.store.put(enc.encode('where'));
      expect(fx.store.describe()).toMatch(/^[a-z0-9]+:/);
      expect(fx.store.locate(key)).toMatch(/^[a-z0-9]+:\/\//);
      expect(fx.store.locate(key)).toContain(key.slice('sha256/ab/'.length));
    });
  });
}
