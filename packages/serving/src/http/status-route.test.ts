import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../start-server.js';
import { openTestStack, penguinsSpec, PENGUIN, type TestStack } from '../test-support/register-test-model.js';
import type { ServingStatus } from './status-route.js';

let t: TestStack;
let server: RunningServer;
let locked: RunningServer;

async function call(base: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** GET /v1/status; its body typed as the route's own answer (the assertions check its fields). */
async function status(base: string, headers: Record<string, string> = {}): Promise<ServingStatus> {
  const res = await fetch(`${base}/v1/status`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as ServingStatus;
}

beforeAll(async () => {
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 3, aliases: ['production'] }));
  server = await startServer({
    store: t.stack.store,
    meta: t.stack.meta,
    models: [{ name: 'penguins', drift: { window: 20, every: 10, minSamples: 10, minIntervalMs: 0 } }],
    port: 0,
  });
  locked = await startServer({
    store: t.stack.store,
    meta: t.stack.meta,
    models: [{ name: 'penguins', tokens: ['s3cret'] }],
    port: 0,
    poll: false,
  });
});

afterAll(async () => {
  await locked?.close();
  await server?.close();
  await t?.dispose();
});

describe('GET /v1/status', () => {
  it('reports request counts, rate, p95, live accuracy from feedback and drift per version', async () => {
    const before = await status(server.url);
    expect(before.models[0]).toMatchObject({
      name: 'penguins',
      alias: 'production',
      stable: 1,
      candidate: null,
      rollout: null,
      versions: [{ version: 1, role: 'stable', requests: 0, p95Ms: null, feedback: null, drift: null }],
    });

    let id = '';
    for (let i = 0; i < 3; i++) {
      const r = await call(server.url, '/v1/models/penguins:predict', {
        instances: new Array(5).fill(PENGUIN),
      });
      expect(r.status).toBe(200);
      id = (r.json.predictions as { prediction_id: string }[])[0]!.prediction_id;
    }
    const fb = await call(server.url, '/v1/models/penguins/feedback', { prediction_id: id, label: 'Gentoo' });
    expect(fb.json).toMatchObject({ correct: true, accuracy: 1 });

    const s = await status(server.url);
    const v = s.models[0]!.versions[0]!;
    expect(v).toMatchObject({
      version: 1,
      role: 'stable',
      requests: 3,
      errorRate: 0,
      feedback: { count: 1, accuracy: 1, mae: null },
    });
    expect(v.p95Ms).toBeGreaterThan(0);
    expect(v.ratePerS).toBeGreaterThan(0);
    expect(v.rateWindowS).toBeGreaterThanOrEqual(0);
    expect(v.drift?.map((d) => d.feature)).toContain('Island');
    expect(v.drift?.[0]).toMatchObject({ metric: expect.any(String), score: expect.any(Number), window: 10 });
  });

  it('follows the model tokens: 401 without one, the figures with one', async () => {
    const none = await call(locked.url, '/v1/status');
    expect(none.status).toBe(401);
    const ok = await status(locked.url, { authorization: 'Bearer s3cret' });
    expect(ok.models.map((m) => m.name)).toEqual(['penguins']);
  });
});
