import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadManifest } from '@myelin/artifacts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordDeployment } from '../rollout/record-deployment.js';
import { startServer } from '../start-server.js';
import { openTestStack, penguinsSpec, PENGUIN, type TestStack } from '../test-support/register-test-model.js';
import { FakeClock } from '../util/fake-clock.js';

let t: TestStack;

async function predict(base: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/v1/models/penguins:predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { model_version?: string; error?: string } };
}

/** Odd inputs on which two differently seeded models are likely to disagree somewhere. */
const ODD = Array.from({ length: 5 }, (_, i) => ({
  ...PENGUIN,
  'Beak Length (mm)': 38 + i * 2.5,
  'Beak Depth (mm)': 16 + i,
  'Flipper Length (mm)': 195 + i * 4,
}));

beforeAll(async () => {
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 3, aliases: ['production'] })); // @1
  await t.register(penguinsSpec({ seed: 11, aliases: ['staging'] })); // @2
});
afterAll(async () => t?.dispose());

describe('hot reload', () => {
  it('moves to the new version when the alias moves under load, failing no request', async () => {
    const server = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [{ name: 'penguins' }],
      port: 0,
      pollIntervalMs: 50,
    });
    try {
      const seen = new Map<string, number>();
      let failures = 0;
      let stop = false;
      const loop = async () => {
        while (!stop) {
          const r = await predict(server.url, { instances: [PENGUIN] });
          if (r.status !== 200) failures++;
          else seen.set(r.json.model_version!, (seen.get(r.json.model_version!) ?? 0) + 1);
        }
      };
      const loops = Array.from({ length: 6 }, loop);
      await vi.waitFor(() => expect(seen.get('1') ?? 0).toBeGreaterThan(20), { timeout: 20_000 });
      await t.stack.meta.setAlias('penguins', 'production', 2, { who: 'test', why: 'hot reload under load' });
      await vi.waitFor(() => expect(seen.get('2') ?? 0).toBeGreaterThan(20), { timeout: 20_000 });
      stop = true;
      await Promise.all(loops);
      expect(failures).toBe(0);
      // once switched, every answer comes from @2
      const after = await Promise.all(
        Array.from({ length: 10 }, () => predict(server.url, { instances: [PENGUIN] })),
      );
      expect(after.map((r) => r.json.model_version)).toEqual(new Array(10).fill('2'));
      expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(
        /myelin_serving_model_version_info\{model="penguins",version="2",role="stable"\} 1/,
      );
    } finally {
      await server.close();
      await t.stack.meta.setAlias('penguins', 'production', 1, { who: 'test', why: 'reset' });
    }
  });
});

describe('nudges', () => {
  it('polls the registry when a nudge arrives (what a Redis pub/sub message does), and unsubscribes on close', async () => {
    let nudge: (() => void) | undefined;
    let unsubscribed = false;
    const server = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [{ name: 'penguins' }],
      port: 0,
      poll: false,
      nudges: (refresh) => {
        nudge = refresh;
        return () => {
          unsubscribed = true;
        };
      },
    });
    try {
      expect((await predict(server.url, { instances: [PENGUIN] })).json.model_version).toBe('1');
      await t.stack.meta.setAlias('penguins', 'production', 2, { who: 'test', why: 'nudged' });
      nudge!();
      await vi.waitFor(async () =>
        expect((await predict(server.url, { instances: [PENGUIN] })).json.model_version).toBe('2'),
      );
    } finally {
      await server.close();
      await t.stack.meta.setAlias('penguins', 'production', 1, { who: 'test', why: 'reset' });
    }
    expect(unsubscribed).toBe(true);
  });
});

describe('rollout (fake clock, registry polled by hand)', () => {
  it('canary: sends a sticky share to the candidate, then promotes it and records why', async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const server = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [{ name: 'penguins', batching: { maxBatchSize: 1 } }],
      port: 0,
      clock,
      poll: false,
    });
    try {
      await recordDeployment(t.stack.meta, {
        model: 'penguins',
        version: 2,
        strategy: 'canary',
        settings: {
          traffic: 0.5,
          duration: 60,
          minRequests: 10,
          maxDivergence: 1,
          maxLatencyP95Increase: 10,
        },
        who: 'test',
      });
      await server.refresh();
      expect(server.service.model('penguins').rollout?.settings).toMatchObject({
        strategy: 'canary',
        traffic: 0.5,
      });
      const byKey = new Map<string, string>();
      for (let i = 0; i < 40; i++) {
        const key = `user-${i % 20}`;
        const r = await predict(server.url, { instances: ODD }, { 'x-request-key': key });
        expect(r.status).toBe(200);
        if (byKey.has(key)) expect(r.json.model_version).toBe(byKey.get(key));
        byKey.set(key, r.json.model_version!);
      }
      expect(new Set(byKey.values())).toEqual(new Set(['1', '2']));
      await vi.waitFor(() =>
        expect(server.service.model('penguins').rollout!.served.stats.snapshot().compared).toBeGreaterThan(0),
      );
      clock.advance(30_000);
      await server.refresh();
      expect(server.service.model('penguins').rollout?.last?.decision).toBe('continue');
      clock.advance(31_000);
      await server.refresh();
      expect(await t.stack.meta.resolveAlias('penguins', 'production')).toBe(2);
      expect(await t.stack.meta.resolveAlias('penguins', 'candidate')).toBeNull();
      const run2 = (await t.stack.meta.getVersion('penguins', 2))!.runId;
      const events = (await t.stack.meta.listEvents({ runId: run2 })).filter((e) =>
        e.type.startsWith('serving.deploy'),
      );
      expect(events.map((e) => e.type)).toEqual(['serving.deploy.started', 'serving.deploy.promoted']);
      expect(events[1]!.payload).toMatchObject({
        decision: 'promote',
        strategy: 'canary',
        figures: { windowS: 60 },
      });
      const history = await t.stack.meta.aliasHistory('penguins', 'production');
      expect(history.at(-1)).toMatchObject({
        toVersion: 2,
        who: 'myelin-serving',
        why: expect.stringMatching(/canary promote: within every bound/),
      });
      const r = await predict(server.url, { instances: [PENGUIN] }, { 'x-request-key': 'user-0' });
      expect(r.json.model_version).toBe('2');
      expect(server.service.model('penguins').rollout).toBeNull();
    } finally {
      await server.close();
      await t.stack.meta.setAlias('penguins', 'production', 1, { who: 'test', why: 'reset' });
    }
  });

  it('shadow: answers only from the stable version, compares the candidate, and rolls back with the figures', async () => {
    const clock = new FakeClock(Date.parse('2026-01-02T00:00:00Z'));
    const server = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [
        { name: 'penguins', batching: { maxBatchSize: 1 }, rollout: { strategy: 'shadow', traffic: 0.5 } },
      ],
      port: 0,
      clock,
      poll: false,
    });
    try {
      // no `myelin deploy` settings recorded for this move: the configured rollout applies
      await t.stack.meta.setAlias('penguins', 'candidate', 2, { who: 'test' });
      await server.refresh();
      const rollout = server.service.model('penguins').rollout!;
      expect(rollout.settings).toMatchObject({
        strategy: 'shadow',
        traffic: 0.5,
        duration: 600,
        minRequests: 50,
      });
      for (let i = 0; i < 20; i++) {
        const r = await predict(server.url, { instances: ODD }, { 'x-request-key': `k${i}` });
        expect(r.json.model_version).toBe('1');
      }
      await vi.waitFor(() => expect(rollout.served.stats.snapshot().requests).toBeGreaterThan(0));
      expect(rollout.served.stats.snapshot().compared).toBe(
        rollout.served.stats.snapshot().requests * ODD.length,
      );
      const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
      const candidateSeries = [
        'myelin_serving_rollout_divergence{model="penguins",version="2",strategy="shadow"}',
        'myelin_serving_model_version_info{model="penguins",version="2",role="candidate"}',
        'myelin_serving_queue_depth_rows{model="penguins",version="2"}',
      ];
      const during = await metrics();
      for (const s of candidateSeries) expect(during, s).toContain(s);
      clock.advance(1_200_000); // twice the window without the 50 requests it needs
      await server.refresh();
      // the rolled-back candidate's series leave /metrics with it
      const after = await metrics();
      for (const s of candidateSeries) expect(after, s).not.toContain(s);
      expect(after).toMatch(
        /myelin_serving_rollout_decisions_total\{model="penguins",decision="rollback"\} 1/,
      );
      expect(await t.stack.meta.resolveAlias('penguins', 'candidate')).toBeNull();
      expect(await t.stack.meta.resolveAlias('penguins', 'production')).toBe(1);
      const run2 = (await t.stack.meta.getVersion('penguins', 2))!.runId;
      const last = (await t.stack.meta.listEvents({ runId: run2 })).at(-1)!;
      expect(last.type).toBe('serving.deploy.rolled-back');
      expect(last.payload).toMatchObject({
        decision: 'rollback',
        strategy: 'shadow',
        reasons: [expect.stringMatching(/only \d+ requests/)],
      });
      expect(server.service.model('penguins').rollout).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('direct deploy moves the served alias at once', async () => {
    await recordDeployment(t.stack.meta, { model: 'penguins', version: 2, strategy: 'direct', who: 'test' });
    expect(await t.stack.meta.resolveAlias('penguins', 'production')).toBe(2);
    await recordDeployment(t.stack.meta, {
      model: 'penguins',
      version: 1,
      strategy: 'direct',
      who: 'test',
      why: 'back',
    });
    expect(await t.stack.meta.resolveAlias('penguins', 'production')).toBe(1);
  });
});

describe('integrity', () => {
  it('refuses to serve a tampered version, naming the file; a running server keeps the old version', async () => {
    if ((await t.stack.meta.resolveAlias('penguins', 'candidate')) !== null)
      await t.stack.meta.removeAlias('penguins', 'candidate', { who: 'test' });
    const server = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [{ name: 'penguins' }],
      port: 0,
      poll: false,
    });
    try {
      const v2 = (await t.stack.meta.getVersion('penguins', 2))!;
      const weights = (await loadManifest(t.stack.store, v2.manifestKey)).files.find(
        (f) => f.role === 'weights',
      )!;
      const path = join(t.home, 'artifacts', ...weights.key.split('/'));
      const bytes = await readFile(path);
      bytes[20] = (bytes[20]! + 1) % 256;
      await writeFile(path, bytes);
      await t.stack.meta.setAlias('penguins', 'production', 2, {
        who: 'test',
        why: 'move to a tampered version',
      });
      await server.refresh();
      const r = await predict(server.url, { instances: [PENGUIN] });
      expect(r).toMatchObject({ status: 200, json: { model_version: '1' } });
      expect(server.service.model('penguins').lastError?.message).toMatch(
        /refusing to serve penguins@2: weights\.bin \(hash-mismatch/,
      );
      expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(
        /myelin_serving_model_load_failures_total\{model="penguins"\} 1/,
      );
      await expect(
        startServer({
          store: t.stack.store,
          meta: t.stack.meta,
          models: [{ name: 'penguins' }],
          port: 0,
          poll: false,
        }),
      ).rejects.toMatchObject({
        code: 'MYELIN_ERR_ARTIFACT_INTEGRITY',
        message: expect.stringMatching(/weights\.bin/),
      });
    } finally {
      await server.close();
    }
  });
});
