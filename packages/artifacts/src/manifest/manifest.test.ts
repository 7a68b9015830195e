import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentKey } from '../artifact-keys.js';
import { FsArtifactStore } from '../fs-artifact-store.js';
import {
  loadManifest,
  manifestHash,
  storeManifest,
  storeManifestFile,
  verifyManifest,
  type ModelManifest,
} from './index.js';

describe('model manifests', () => {
  let root: string;
  let store: FsArtifactStore;
  let manifest: ModelManifest;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'myelin-manifest-'));
    store = new FsArtifactStore({ root });
    manifest = {
      schemaVersion: 1,
      model: 'penguins',
      createdAt: '2025-01-02T03:04:05.000Z',
      files: [
        await storeManifestFile(store, 'model-json', 'model.json', Buffer.from('{"modelTopology":{}}')),
        await storeManifestFile(store, 'weights', 'group1-shard1of1.bin', Buffer.alloc(256, 3)),
        await storeManifestFile(store, 'preprocessor', 'preprocessor.json', Buffer.from('{"steps":[]}')),
      ],
      specHash: 'a'.repeat(64),
      dataHash: 'b'.repeat(64),
      code: { version: '0.1.0', commit: 'abc123' },
      backend: 'cpu',
      task: 'classification',
      metrics: { accuracy: 0.97, loss: 0.08 },
      gates: { accuracy: { passed: true, value: 0.97, bound: '>= 0.9' } },
      runId: 'r-1',
    };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores a manifest under the key of its canonical hash and loads it back', async () => {
    const key = await storeManifest(store, manifest);
    expect(key).toBe(contentKey(manifestHash(manifest)));
    expect(await storeManifest(store, { ...manifest })).toBe(key);
    expect(await loadManifest(store, key)).toEqual(manifest);
    const { model, ...rest } = manifest;
    const reordered: ModelManifest = { ...rest, model }; // the same fields, `model` moved from first to last
    expect(manifestHash(reordered)).toBe(manifestHash(manifest));
    expect(manifestHash({ ...manifest, metrics: { accuracy: 0.5 } })).not.toBe(manifestHash(manifest));
  });

  it('verifies every file and names a tampered one', async () => {
    expect(await verifyManifest(store, manifest)).toEqual({ ok: true, problems: [] });
    const weights = manifest.files[1]!;
    const path = join(root, ...weights.key.split('/'));
    const bytes = await readFile(path);
    bytes[10] = 0;
    await writeFile(path, bytes);
    const result = await verifyManifest(store, manifest);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { file: 'group1-shard1of1.bin', key: weights.key, problem: 'hash-mismatch' },
    ]);
  });

  it('reports missing files and size mismatches', async () => {
    const [modelJson, , pre] = manifest.files;
    await store.delete(modelJson!.key);
    await writeFile(join(root, ...pre!.key.split('/')), 'short');
    const result = await verifyManifest(store, manifest);
    expect(result.problems).toEqual([
      { file: 'model.json', key: modelJson!.key, problem: 'missing' },
      { file: 'preprocessor.json', key: pre!.key, problem: 'size-mismatch' },
    ]);
  });

  it('reports a manifest entry whose recorded sha256 disagrees with its key', async () => {
    const wrong = { ...manifest, files: [{ ...manifest.files[0]!, sha256: 'f'.repeat(64) }] };
    expect((await verifyManifest(store, wrong)).problems[0]?.problem).toBe('hash-mismatch');
  });

  it('refuses to load an artifact that is not a manifest', async () => {
    const { key } = await store.put(Buffer.from('{"schemaVersion":2}'));
    await expect(loadManifest(store, key)).rejects.toMatchObject({ code: 'MYELIN_ERR_ARTIFACT_INTEGRITY' });
    const { key: notJson } = await store.put(Buffer.from('nope'));
    await expect(loadManifest(store, notJson)).rejects.toThrow(/not JSON/);
    await expect(
      storeManifest(store, { ...manifest, files: [{ ...manifest.files[0]!, size: -1 }] }),
    ).rejects.toThrow(/files\[0\]\.size/);
  });
});
