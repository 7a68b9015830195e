import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsArtifactStore } from '@myelin/artifacts';
import { readStepCache, writeStepCache } from './step-cache.js';
import { putJson } from '../util/json-artifacts.js';

describe('step cache', () => {
  let dir: string;
  let store: FsArtifactStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'myelin-step-cache-'));
    store = new FsArtifactStore({ root: dir });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back the outputs written, while every artifact they name is stored', async () => {
    const artifact = await putJson(store, { rows: 3 });
    await writeStepCache(store, 'ingest', 'k1', { dataset: artifact, rows: 3 });
    expect(await readStepCache(store, 'ingest', 'k1')).toEqual({ dataset: artifact, rows: 3 });
    expect(await readStepCache(store, 'ingest', 'other-key')).toBeNull();
  });

  it('is a miss when an artifact the outputs name is gone', async () => {
    await writeStepCache(store, 'ingest', 'k1', { dataset: `sha256/${'0'.repeat(64)}` });
    expect(await readStepCache(store, 'ingest', 'k1')).toBeNull();
  });

  it('is a miss, not a failure, when the entry is not a JSON object', async () => {
    for (const [key, value] of [
      ['array', [1, 2]],
      ['null', null],
      ['number', 7],
    ] as const) {
      await store.putRef(`cache/ingest/${key}`, await putJson(store, value));
      expect(await readStepCache(store, 'ingest', key)).toBeNull();
    }
  });
});
