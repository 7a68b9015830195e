import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStack, type Stack } from '@myelin/pipeline';
import { startApi, type RunningApi } from './start-api.js';
import { createApiClient, type StreamedRunEvent } from './client/api-client.js';
import { penguinsDir, tinyPenguins } from './testing/api-test-server.js';

const home = mkdtempSync(join(tmpdir(), 'myelin-api-start-'));
let stack: Stack;
beforeAll(async () => {
  stack = await openEmbeddedStack(home);
});
afterAll(async () => {
  await stack.close();
  rmSync(home, { recursive: true, force: true });
});

describe('startApi', () => {
  it('refuses a non-loopback address without tokens unless insecure', async () => {
    await expect(startApi({ stack, host: '0.0.0.0', port: 0, tokens: [] })).rejects.toMatchObject({
      code: 'MYELIN_ERR_API_INSECURE',
    });
    const insecure = await startApi({ stack, host: '0.0.0.0', port: 0, tokens: [], insecure: true });
    await insecure.close();
    const withTokens = await startApi({
      stack,
      host: '0.0.0.0',
      port: 0,
      tokens: [{ token: 'tttttttttttttttt1', scopes: ['read'] }],
    });
    await withTokens.close();
  });

  describe('over real HTTP', () => {
    let api: RunningApi;
    beforeAll(async () => {
      api = await startApi({ stack, port: 0, tokens: [], pipelinesDir: penguinsDir, eventPollMs: 50 });
    });
    afterAll(() => api.close());

    it('streams events live to a client, which follows them to the end and reads the run', async () => {
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = createApiClient({ url: api.url });
      const { runId } = await client.submitRun({ spec: tinyPenguins({ name: 'live', epochs: 3 }) });
      const seen: StreamedRunEvent[] = [];
      const end = await client.followRun(runId, (e) => seen.push(e));
      expect(end).toMatchObject({ runId, status: 'succeeded', exitCode: 0 });
      expect(seen.filter((e) => e.type === 'epoch')).toHaveLength(3);
      expect(end.lastEventId).toBe(seen.at(-1)!.id);
      const run = await client.getRun<{ status: string }>(runId);
      expect(run.status).toBe('succeeded');
    });

    it('stops streaming when the client disconnects (the SSE gauge goes back to 0)', async () => {
      const client = createApiClient({ url: api.url });
      const { runId } = await client.submitRun({ spec: tinyPenguins({ name: 'gone', epochs: 400 }) });
      const abort = new AbortController();
      const following = client
        .followRun(
          runId,
          (e) => {
            if (e.type === 'epoch') abort.abort();
          },
          { signal: abort.signal },
        )
        .catch((e: unknown) => e);
      expect(await following).toBeInstanceOf(Error);
      const gauge = async () =>
        /myelin_api_sse_clients (\d+)/.exec(await (await fetch(`${api.url}/metrics`)).text())?.[1];
      for (let i = 0; i < 100 && (await gauge()) !== '0'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await gauge()).toBe('0');
      const cancel = await fetch(`${api.url}/api/runs/${runId}/cancel`, { method: 'POST' });
      expect(cancel.status).toBe(202);
    });

    it('gives the client the server error (codes and located messages), and unreachable servers a clear error', async () => {
      const client = createApiClient({ url: api.url });
      await expect(client.submitRun({ spec: 'apiVersion: myelin/v1\nname: x\n' })).rejects.toMatchObject({
        code: 'MYELIN_ERR_SPEC_INVALID',
        message: expect.stringContaining('pipeline.yaml:1:1'),
      });
      const nowhere = createApiClient({ url: 'http://127.0.0.1:9' });
      await expect(nowhere.getRun('r-1')).rejects.toMatchObject({ code: 'MYELIN_ERR_API_UNREACHABLE' });
    });
  });
});

describe('startApi on a busy port', () => {
  it('says the port is taken (MYELIN_ERR_USAGE)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-api-busy-'));
    const stack = await openEmbeddedStack(dir);
    const first = await startApi({ stack, port: 0 });
    try {
      const port = Number(new URL(first.url).port);
      await expect(startApi({ stack, port })).rejects.toMatchObject({
        code: 'MYELIN_ERR_USAGE',
        message: expect.stringContaining('EADDRINUSE'),
      });
    } finally {
      await first.close();
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
