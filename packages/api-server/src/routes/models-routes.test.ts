import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, tinyPenguins, type TestServer } from '../testing/api-test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
  // two registered versions of one model
  for (const epochs of [2, 3]) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: { spec: tinyPenguins({ name: 'zoo', epochs }) },
    });
    await s.app.inject({ method: 'GET', url: `/api/runs/${res.json().runId}/events` });
  }
});
afterAll(() => s.close());

describe('models', () => {
  it('GET /api/models lists models with their latest version and aliases', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/models' });
    expect(res.statusCode).toBe(200);
    expect(res.json().models).toEqual([
      { name: 'zoo', createdAt: expect.any(Number), latestVersion: 2, aliases: { staging: 2 } },
    ]);
  });

  it('GET /api/models/:name gives versions with metrics and lineage, aliases, and the alias history', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/models/zoo' });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(m.versions[0]).toMatchObject({ runId: expect.stringMatching(/^r-/), aliases: [] });
    expect(typeof m.versions[1].metrics.accuracy).toBe('number');
    expect(m.aliases).toEqual({ staging: 2 });
    expect(m.aliasHistory.map((h: { toVersion: number }) => h.toVersion)).toEqual([1, 2]);
    const missing = await s.app.inject({ method: 'GET', url: '/api/models/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('MYELIN_ERR_REGISTRY_NOT_FOUND');
  });

  it('POST /api/models/:name/aliases moves an alias and records who and why', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/models/zoo/aliases',
      payload: { alias: 'staging', version: 1, why: 'roll back: v2 misbehaves' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ model: 'zoo', alias: 'staging', version: 1, previousVersion: 2 });
    const created = await s.app.inject({
      method: 'POST',
      url: '/api/models/zoo/aliases',
      payload: { alias: 'production', version: 2 },
    });
    expect(created.json()).toMatchObject({ alias: 'production', previousVersion: null });
    const m = (await s.app.inject({ method: 'GET', url: '/api/models/zoo' })).json();
    expect(m.aliases).toEqual({ staging: 1, production: 2 });
    const last = m.aliasHistory.filter((h: { alias: string }) => h.alias === 'staging').at(-1);
    expect(last).toMatchObject({
      fromVersion: 2,
      toVersion: 1,
      why: 'roll back: v2 misbehaves',
      who: expect.stringMatching(/^api:/),
    });
  });

  it('refuses unknown versions (404) and malformed aliases (400)', async () => {
    const v = await s.app.inject({
      method: 'POST',
      url: '/api/models/zoo/aliases',
      payload: { alias: 'staging', version: 9 },
    });
    expect(v.statusCode).toBe(404);
    expect(v.json().error.message).toMatch(/no version 9/);
    const m = await s.app.inject({
      method: 'POST',
      url: '/api/models/ghost/aliases',
      payload: { alias: 'staging', version: 1 },
    });
    expect(m.statusCode).toBe(404);
    const bad = await s.app.inject({
      method: 'POST',
      url: '/api/models/zoo/aliases',
      payload: { alias: '3rd place', version: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['body.alias', 'body.version']);
  });
});
