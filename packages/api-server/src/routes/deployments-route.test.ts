import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../testing/api-test-server.js';
import { serveUrls } from './deployments-route.js';

/** A `/v1/status` body as @myelin/serving answers it (recorded from its integration test). */
const RECORDED = {
  now: '2026-11-28T23:32:50.000Z',
  models: [
    {
      name: 'penguins',
      alias: 'production',
      stable: 1,
      candidate: 2,
      rollout: {
        strategy: 'canary',
        traffic: 0.1,
        durationS: 600,
        startedAt: '2026-11-28T23:30:00.000Z',
        lastDecision: { decision: 'continue', reasons: ['waiting for 50 requests'], elapsedS: 170 },
      },
      driftThreshold: 0.2,
      lastError: null,
      versions: [
        {
          version: 1,
          role: 'stable',
          requests: 3,
          ratePerS: 0.75,
          rateWindowS: 4,
          errorRate: 0,
          p95Ms: 6.2,
          feedback: { count: 1, accuracy: 1, mae: null },
          drift: [{ feature: 'Island', metric: 'chi2', score: 0.586, window: 10, drifted: true }],
        },
        {
          version: 2,
          role: 'candidate',
          requests: 0,
          ratePerS: 0,
          rateWindowS: 4,
          errorRate: 0,
          p95Ms: null,
          feedback: null,
          drift: null,
        },
      ],
    },
  ],
};

let s: TestServer;
let serving: Server;
let up = '';
let down = '';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

beforeAll(async () => {
  s = await testServer();
  serving = createServer((req, res) => {
    if (req.url === '/v1/status') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(RECORDED));
    } else res.writeHead(404).end();
  });
  up = await listen(serving);
  // a port nothing listens on: bound, then closed, so connecting is refused
  const gone = createServer();
  down = await listen(gone);
  await new Promise((r) => gone.close(r));
});

afterAll(async () => {
  delete process.env.MYELIN_SERVE_URLS;
  await new Promise((r) => serving?.close(r));
  await s?.close();
});

describe('GET /api/deployments', () => {
  it('gives each model server status, and an error for one that refuses connections', async () => {
    process.env.MYELIN_SERVE_URLS = ` ${up}/ , ${down}`;
    const res = await s.app.inject({ method: 'GET', url: '/api/deployments' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { servers: { url: string; ok: boolean; error?: string; status?: unknown }[] };
    expect(body.servers).toHaveLength(2);
    expect(body.servers[0]).toEqual({ url: up, ok: true, status: RECORDED });
    expect(body.servers[1]).toMatchObject({
      url: down,
      ok: false,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(body.servers[1]!.status).toBeUndefined();
  });

  it('answers an empty list when no model server is configured', async () => {
    delete process.env.MYELIN_SERVE_URLS;
    const res = await s.app.inject({ method: 'GET', url: '/api/deployments' });
    expect(res.json()).toEqual({ servers: [] });
  });

  it('splits MYELIN_SERVE_URLS on commas', () => {
    expect(serveUrls(' http://a:8501/, ,http://b:8501 ')).toEqual(['http://a:8501', 'http://b:8501']);
    expect(serveUrls(undefined)).toEqual([]);
  });
});
