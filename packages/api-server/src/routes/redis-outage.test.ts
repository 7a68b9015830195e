import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStack, type Stack } from '@myelin/pipeline';
import { startRedisServer, type TestRedisServer } from '@myelin/pipeline/testing';
import { buildApiServer } from '../build-api-server.js';
import { penguinsDir, tinyPenguins } from '../testing/api-test-server.js';

let redis: TestRedisServer;
let stack: Stack;
let app: FastifyInstance;
const home = mkdtempSync(join(tmpdir(), 'myelin-outage-'));

beforeAll(async () => {
  redis = await startRedisServer();
  stack = await openStack({
    config: {
      executor: { kind: 'bullmq', url: redis.url, prefix: `t-${randomUUID()}` },
      artifacts: { kind: 'fs', root: join(home, 'artifacts') },
      database: { kind: 'sqlite', dir: home },
      file: null,
    },
  });
  app = await buildApiServer({ stack, pipelinesDir: penguinsDir, rateLimit: false, reconcile: false });
  await redis.stop(); // Redis goes away after the API started
});
afterAll(async () => {
  await app.close();
  await stack.close();
  rmSync(home, { recursive: true, force: true });
});

describe('submitting while Redis is away', () => {
  it('is 503 MYELIN_ERR_STACK_UNREACHABLE with Retry-After, recording nothing (never a 202, never an internal error)', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    const res = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: { spec: tinyPenguins({ name: 'outage' }), file: 'outage.yaml' },
    });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.json()).toMatchObject({ error: { code: 'MYELIN_ERR_STACK_UNREACHABLE' } });
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/Redis/);
    expect((await stack.meta.listRuns({ limit: 10 })).runs).toEqual([]);
  });

  it('cancel is 503 too, not 500', async () => {
    const run = await stack.meta.createRun({
      pipeline: 'outage',
      trigger: 'api',
      specHash: 'h',
      specText: tinyPenguins({ name: 'outage' }),
      status: 'running',
    });
    const res = await app.inject({ method: 'POST', url: `/api/runs/${run.id}/cancel` });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'MYELIN_ERR_STACK_UNREACHABLE' } });
  });
});
