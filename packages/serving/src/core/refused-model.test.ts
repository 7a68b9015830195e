import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadManifest, type ArtifactStore } from '@myelin/artifacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelVersion } from '../loading/load-model-version.js';
import { startServer } from '../start-server.js';
import { openTestStack, penguinsSpec, PENGUIN, type TestStack } from '../test-support/register-test-model.js';

let t: TestStack;

/** Flips one byte of a version's weights file in the filesystem store. */
async function tamper(model: string, version: number): Promise<void> {
  const v = (await t.stack.meta.getVersion(model, version))!;
  const weights = (await loadManifest(t.stack.store, v.manifestKey)).files.find((f) => f.role === 'weights')!;
  const path = join(t.home, 'artifacts', ...weights.key.split('/'));
  const bytes = await readFile(path);
  bytes[20] = (bytes[20]! + 1) % 256;
  await writeFile(path, bytes);
}

beforeAll(async () => {
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 3, aliases: ['production'] }));
  await t.register(penguinsSpec({ seed: 4, aliases: ['production'], model: 'penguins-b' }));
});
afterAll(async () => t?.dispose());

describe('a version that fails verification at start', () => {
  it('is refused and reported alone: the other models serve', async () => {
    await tamper('penguins-b', 1);
    const lines: string[] = [];
    const server = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [{ name: 'penguins' }, { name: 'penguins-b' }],
      port: 0,
      poll: false,
      log: (l) => lines.push(l),
    });
    const get = async (path: string, body?: unknown) => {
      const res = await fetch(
        server.url + path,
        body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
      );
      return { status: res.status, text: await res.text(), headers: res.headers };
    };
    try {
      expect((await get('/v1/models/penguins:predict', { instances: [PENGUIN] })).status).toBe(200);
      const refused = await get('/v1/models/penguins-b:predict', { instances: [PENGUIN] });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(JSON.parse(refused.text).error).toMatch(
        /penguins-b@1 was refused \(.*refusing to serve penguins-b@1: weights\.bin \(hash-mismatch/,
      );
      // readiness: the server is not ready (not every model is), each model says which it is
      const ready = await get('/v2/health/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({ ready: false, not_ready: ['penguins-b'] });
      expect((await get('/v2/models/penguins/ready')).status).toBe(200);
      expect((await get('/v2/models/penguins-b/ready')).status).toBe(503);
      // /metrics
      const metrics = (await get('/metrics')).text;
      expect(metrics).toMatch(/myelin_serving_model_ready\{model="penguins"\} 1/);
      expect(metrics).toMatch(/myelin_serving_model_ready\{model="penguins-b"\} 0/);
      expect(metrics).toMatch(/myelin_serving_model_load_failures_total\{model="penguins-b"\} 1/);
      expect(metrics).toMatch(/myelin_serving_model_load_failures_total\{model="penguins"\} 0/);
      // GET /v1/status (the status page's Deployments panel)
      const status = JSON.parse((await get('/v1/status')).text) as {
        models: {
          name: string;
          stable: number | null;
          lastError: { version: number; message: string } | null;
        }[];
      };
      expect(status.models.find((m) => m.name === 'penguins')).toMatchObject({ stable: 1, lastError: null });
      expect(status.models.find((m) => m.name === 'penguins-b')).toMatchObject({
        stable: null,
        lastError: { version: 1, message: expect.stringMatching(/weights\.bin \(hash-mismatch/) },
      });
      // TF Serving model status
      expect(JSON.parse((await get('/v1/models/penguins-b')).text)).toMatchObject({
        model_version_status: [{ version: '1', state: 'END' }],
      });
      expect(lines.some((l) => /penguins-b: not served: .*weights\.bin/.test(l))).toBe(true);
    } finally {
      await server.close();
    }
    // with no model left to serve, starting fails with the integrity error, naming the file
    await expect(
      startServer({
        store: t.stack.store,
        meta: t.stack.meta,
        models: [{ name: 'penguins-b' }],
        port: 0,
        poll: false,
      }),
    ).rejects.toMatchObject({
      code: 'MYELIN_ERR_ARTIFACT_INTEGRITY',
      message: expect.stringMatching(/weights\.bin/),
    });
  });
});

describe('loadModelVersion', () => {
  it('reads (and so hashes) each file of the version once', async () => {
    const reads = new Map<string, number>();
    const count = (key: string) => reads.set(key, (reads.get(key) ?? 0) + 1);
    const real = t.stack.store;
    // the real store, every read counted on its way through
    const counting: ArtifactStore = {
      put: (c, o) => real.put(c, o),
      get: async (k) => (count(k), real.get(k)),
      getBytes: async (k) => (count(k), real.getBytes(k)),
      head: (k) => real.head(k),
      list: (p) => real.list(p),
      delete: (k) => real.delete(k),
      putRef: (n, k) => real.putRef(n, k),
      getRef: (n) => real.getRef(n),
      listRefs: (p) => real.listRefs(p),
      deleteRef: (n) => real.deleteRef(n),
      describe: () => real.describe(),
      locate: (k) => real.locate(k),
    };
    const rec = (await t.stack.meta.getVersion('penguins', 1))!;
    const loaded = await loadModelVersion(counting, rec, { warmupRuns: 0 });
    try {
      const files = loaded.manifest.files.map((f) => f.key);
      expect(files.length).toBeGreaterThan(4);
      for (const key of files) expect(reads.get(key), key).toBe(1);
      expect(reads.get(rec.manifestKey)).toBe(1);
      expect(reads.size).toBe(new Set([...files, rec.manifestKey]).size);
    } finally {
      loaded.predictor.dispose();
    }
  });
});
