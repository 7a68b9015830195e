import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../testing/api-test-server.js';

const READ = 'read-token-0123456789';
const OTHER = 'other-read-0123456789';
let s: TestServer;
beforeAll(async () => {
  s = await testServer({
    tokens: [
      { token: READ, scopes: ['read'] },
      { token: OTHER, scopes: ['read'] },
    ],
    rateLimit: { max: 100, timeWindow: 60_000 },
    verifyRateLimit: { max: 2, timeWindow: 60_000 },
  });
});
afterAll(() => s.close());

const verify = (token: string) =>
  s.app.inject({
    method: 'POST',
    url: '/api/models/none/versions/1/verify',
    headers: { authorization: `Bearer ${token}` },
  });

describe('verify re-hashes a whole version, so a read token gets it only a few times a window', () => {
  it('answers 429 with Retry-After past the verify limit, while other routes and other tokens go on', async () => {
    expect((await verify(READ)).statusCode).toBe(404);
    expect((await verify(READ)).statusCode).toBe(404);
    const limited = await verify(READ);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.json()).toMatchObject({ error: { code: 'MYELIN_ERR_API_RATE_LIMITED' } });
    const list = await s.app.inject({
      method: 'GET',
      url: '/api/runs',
      headers: { authorization: `Bearer ${READ}` },
    });
    expect(list.statusCode).toBe(200);
    expect((await verify(OTHER)).statusCode).toBe(404);
  });
});
