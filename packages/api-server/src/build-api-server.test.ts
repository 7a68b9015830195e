import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, tinyPenguins, type TestServer } from './testing/api-test-server.js';
import { parseApiTokens } from './auth/parse-api-tokens.js';

const READ = 'reader-0123456789abcdef';
const WRITE = 'writer-0123456789abcdef';
const ADMIN = 'admin-0123456789abcdef';
const tokens = parseApiTokens(`${READ}:read;${WRITE}:read,runs:write;${ADMIN}:read,runs:write,models:write`);
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('auth: bearer tokens with scopes', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ tokens });
  });
  afterAll(() => s.close());

  it('answers 401 without a token or with an unknown one, 403 without the scope', async () => {
    const none = await s.app.inject({ method: 'GET', url: '/api/runs' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json().error.code).toBe('MYELIN_ERR_API_UNAUTHORIZED');
    const wrong = await s.app.inject({
      method: 'GET',
      url: '/api/runs',
      headers: bearer('nope-0123456789abcdef'),
    });
    expect(wrong.statusCode).toBe(401);
    const basic = await s.app.inject({
      method: 'GET',
      url: '/api/runs',
      headers: { authorization: `Basic ${READ}` },
    });
    expect(basic.statusCode).toBe(401);

    const read = await s.app.inject({ method: 'GET', url: '/api/runs', headers: bearer(READ) });
    expect(read.statusCode).toBe(200);
    const submit = await s.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: bearer(READ),
      payload: { spec: tinyPenguins() },
    });
    expect(submit.statusCode).toBe(403);
    expect(submit.json().error).toMatchObject({ code: 'MYELIN_ERR_API_FORBIDDEN' });
    expect(submit.json().error.message).toContain('runs:write');
    const alias = await s.app.inject({
      method: 'POST',
      url: '/api/models/m/aliases',
      headers: bearer(WRITE),
      payload: { alias: 'production', version: 1 },
    });
    expect(alias.statusCode).toBe(403);
    const admin = await s.app.inject({
      method: 'POST',
      url: '/api/models/m/aliases',
      headers: bearer(ADMIN),
      payload: { alias: 'production', version: 1 },
    });
    expect(admin.statusCode).toBe(404); // past auth: the model does not exist
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(401);
  });

  it('keeps health checks and the OpenAPI document public', async () => {
    for (const url of ['/healthz', '/readyz', '/api/openapi.json']) {
      expect((await s.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });
});

describe('limits', () => {
  it('answers 413 for a body over the limit', async () => {
    const s = await testServer({ bodyLimit: 10_000 });
    try {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/runs',
        payload: { spec: 'x'.repeat(20_000) },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('MYELIN_ERR_API_TOO_LARGE');
    } finally {
      await s.close();
    }
  });

  it('answers 413 for pipeline text over the 1 MiB spec limit', async () => {
    const s = await testServer({ bodyLimit: 4_000_000 });
    try {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/runs',
        payload: { spec: `# ${'x'.repeat(1_048_577)}` },
      });
      expect(res.statusCode).toBe(413);
    } finally {
      await s.close();
    }
  });

  it('counts unknown tokens against the address, known tokens in their own bucket', async () => {
    const s = await testServer({ tokens, rateLimit: { max: 2, timeWindow: 60_000 } });
    try {
      const guesses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const headers = bearer(`guess-${i}-0123456789abcdef`);
        guesses.push((await s.app.inject({ method: 'GET', url: '/api/runs', headers })).statusCode);
      }
      expect(guesses).toEqual([401, 401, 429]);
      expect(
        (await s.app.inject({ method: 'GET', url: '/api/runs', headers: bearer(READ) })).statusCode,
      ).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('answers 429 with Retry-After past the rate limit, per client; health checks are not limited', async () => {
    const s = await testServer({ rateLimit: { max: 3, timeWindow: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++)
        codes.push((await s.app.inject({ method: 'GET', url: '/api/runs' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const limited = await s.app.inject({ method: 'GET', url: '/api/models' });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      expect(limited.json().error.code).toBe('MYELIN_ERR_API_RATE_LIMITED');
      const other = await s.app.inject({ method: 'GET', url: '/api/runs', remoteAddress: '10.1.2.3' });
      expect(other.statusCode).toBe(200);
      for (let i = 0; i < 5; i++)
        expect((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('documents and probes', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ webDir: '/nonexistent-web-dir' });
  });
  afterAll(() => s.close());

  it('publishes an OpenAPI 3.1 document listing every route with its schemas', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Myelin queue API');
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes.sort()).toEqual(
      [
        'POST /api/runs',
        'GET /api/runs',
        'GET /api/runs/{id}',
        'GET /api/runs/{id}/events',
        'POST /api/runs/{id}/cancel',
        'GET /api/models',
        'GET /api/models/{name}',
        'POST /api/models/{name}/aliases',
        'GET /api/runs/{id}/reports/evaluation',
        'GET /api/runs/{id}/reports/validation',
        'GET /api/runs/{id}/trials',
        'POST /api/models/{name}/versions/{version}/verify',
        'GET /api/deployments',
        'GET /api/schedules',
        'DELETE /api/schedules/{pipeline}',
        'GET /api/retraining',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
        'GET /api/openapi.json',
      ].sort(),
    );
    const post = doc.paths['/api/runs'].post;
    expect(post.requestBody.content['application/json'].schema.properties).toHaveProperty('overrides');
    expect(post.description).toMatch(/latest spec text recorded/);
    expect(Object.keys(post.responses).sort()).toEqual([
      '202',
      '400',
      '401',
      '403',
      '404',
      '413',
      '429',
      '503',
    ]);
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(doc.components.schemas.ApiError).toBeDefined();
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    // every $ref resolves inside the document
    const refs = [...res.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r);
  });

  it('answers /healthz, /readyz with each check, and /metrics in Prometheus format', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await s.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      stack: 'embedded',
      checks: { database: { ok: true }, artifacts: { ok: true } },
    });
    await s.app.inject({ method: 'GET', url: '/api/runs' });
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(
      /myelin_api_http_requests_total\{method="GET",route="\/api\/runs",status="200"\} 1/,
    );
    expect(metrics.body).toContain('myelin_api_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('myelin_api_runs_submitted_total');
    expect(metrics.body).toContain('myelin_api_sse_clients 0');
  });

  it('reports not ready when the database is gone', async () => {
    const t = await testServer();
    await t.stack.close();
    try {
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not ready', checks: { database: { ok: false } } });
    } finally {
      await t.app.close();
    }
  });

  it('points / at the OpenAPI document when the web page is not built; unknown routes are 404', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/' })).json()).toMatchObject({
      openapi: '/api/openapi.json',
    });
    const res = await s.app.inject({ method: 'DELETE', url: '/api/runs' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('MYELIN_ERR_API_NOT_FOUND');
  });
});
