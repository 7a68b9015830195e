import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../start-server.js';
import { openTestStack, penguinsSpec, PENGUIN, type TestStack } from '../test-support/register-test-model.js';

const PROMTOOL = '/usr/bin/promtool';

let t: TestStack;
let server: RunningServer;

const scrape = async (): Promise<string> => (await fetch(`${server.url}/metrics`)).text();
/** The value of one series in a scrape, or undefined when it is absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 3, aliases: ['production'] }));
  server = await startServer({
    store: t.stack.store,
    meta: t.stack.meta,
    models: [{ name: 'penguins' }],
    port: 0,
    maxBodyBytes: 4096,
    processMetrics: true,
  });
});

afterAll(async () => {
  await server?.close();
  await t?.dispose();
});

describe('/metrics', () => {
  it('starts every counter of a model at 0, so increase() sees the first event', async () => {
    const text = await scrape();
    expect(value(text, 'myelin_serving_model_load_failures_total{model="penguins"}')).toBe(0);
    expect(value(text, 'myelin_serving_rollout_decisions_total{model="penguins",decision="rollback"}')).toBe(
      0,
    );
    expect(value(text, 'myelin_serving_instances_total{model="penguins",version="1"}')).toBe(0);
    expect(value(text, 'myelin_serving_predictions_total{model="penguins",version="1",class="Gentoo"}')).toBe(
      0,
    );
    expect(
      value(
        text,
        'myelin_serving_requests_total{model="penguins",version="1",protocol="kserve",status="500"}',
      ),
    ).toBe(0);
    expect(
      value(text, 'myelin_serving_drift_events_total{model="penguins",version="1",feature="Island"}'),
    ).toBe(0);
    expect(value(text, 'myelin_serving_model_ready{model="penguins"}')).toBe(1);
  });

  it('counts requests refused before their route (bad JSON, 413) in the request and error metrics', async () => {
    const post = (path: string, body: string) =>
      fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const before = await scrape();
    const series = (protocol: string, status: number) =>
      `myelin_serving_requests_total{model="penguins",version="none",protocol="${protocol}",status="${status}"}`;
    expect((await post('/v1/models/penguins:predict', '{"instances": [')).status).toBe(400);
    expect((await post('/v2/models/penguins/infer', '{"inputs": [')).status).toBe(400);
    expect((await post('/v1/models/penguins:predict', `{"instances":["${'x'.repeat(5000)}"]}`)).status).toBe(
      413,
    );
    expect((await post('/v1/models/penguins:predict', `${'['.repeat(100)}`)).status).toBe(400);
    const after = await scrape();
    const delta = (s: string) => (value(after, s) ?? 0) - (value(before, s) ?? 0);
    expect(delta(series('tfserving', 400))).toBe(2);
    expect(delta(series('kserve', 400))).toBe(1);
    expect(delta(series('tfserving', 413))).toBe(1);
    expect(
      (value(
        after,
        'myelin_serving_request_duration_seconds_count{model="penguins",version="none",protocol="tfserving"}',
      ) ?? 0) -
        (value(
          before,
          'myelin_serving_request_duration_seconds_count{model="penguins",version="none",protocol="tfserving"}',
        ) ?? 0),
    ).toBe(3);
  });

  it('a scrape with traffic passes `promtool check metrics`, keeping the standard process_* names', async () => {
    expect(existsSync(PROMTOOL), `${PROMTOOL} is missing: install the Debian package prometheus`).toBe(true);
    for (let i = 0; i < 5; i++) {
      await fetch(`${server.url}/v1/models/penguins:predict`, {
        method: 'POST',
        body: JSON.stringify({ instances: [PENGUIN, { ...PENGUIN, Island: 'Mars' }] }),
      });
    }
    const text = await scrape();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).not.toMatch(/^myelin_serving_process_/m);
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
