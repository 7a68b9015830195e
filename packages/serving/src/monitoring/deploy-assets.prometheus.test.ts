/**
 * The deploy/ assets against a real Prometheus (Debian's /usr/bin/prometheus): it scrapes a test
 * server carrying traffic every second, loads the alert rules, and every alert expression and every
 * dashboard panel expression is evaluated through its HTTP API and must return data. Alert
 * thresholds are turned into `bool` comparisons (`x > 0.025` → `x > bool 0.025`) so an alert that
 * does not fire still shows that its query finds its series.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startServer, type RunningServer } from '../start-server.js';
import {
  CAR,
  carsSpec,
  openTestStack,
  penguinsSpec,
  PENGUIN,
  type TestStack,
} from '../test-support/register-test-model.js';

const PROMETHEUS = '/usr/bin/prometheus';
const deploy = (path: string) => fileURLToPath(new URL(`../../../../deploy/${path}`, import.meta.url));

let t: TestStack;
let server: RunningServer;
let prom: ChildProcess | undefined;
let promUrl = '';
let dir = '';
let stopTraffic = false;
let traffic: Promise<void> = Promise.resolve();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface QueryResult {
  status: string;
  data: { resultType: string; result: unknown[] };
  error?: string;
}
async function query(expr: string): Promise<QueryResult> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as QueryResult;
}

/** Client traffic on both models and both protocols: predictions, odd inputs, feedback. */
async function drive(): Promise<void> {
  const post = async (path: string, body: unknown) =>
    (await fetch(server.url + path, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<
      Record<string, unknown>
    >;
  let i = 0;
  while (!stopTraffic) {
    i++;
    const odd = {
      ...PENGUIN,
      Island: i % 3 === 0 ? 'Mars' : 'Torgersen',
      'Body Mass (g)': 3000 + (i % 10) * 500,
    };
    const p = await post('/v1/models/penguins:predict', { instances: [PENGUIN, odd] });
    const ids = (p.predictions as { prediction_id: string }[] | undefined) ?? [];
    if (ids[0])
      await post('/v1/models/penguins/feedback', { prediction_id: ids[0].prediction_id, label: 'Gentoo' });
    await post('/v2/models/penguins/infer', {
      inputs: Object.entries(PENGUIN).map(([name, v]) => ({
        name,
        shape: [1],
        datatype: typeof v === 'string' ? 'BYTES' : 'FP32',
        data: [v],
      })),
    });
    const c = await post('/v1/models/cars:predict', {
      instances: [{ ...CAR, Horsepower: 60 + (i % 20) * 10 }],
    });
    const cid = (c.predictions as { prediction_id: string }[] | undefined)?.[0]?.prediction_id;
    if (cid) await post('/v1/models/cars/feedback', { prediction_id: cid, label: 25 });
    await post('/v1/models/penguins:predict', '{"instances": [');
  }
}

beforeAll(async () => {
  expect(existsSync(PROMETHEUS), `${PROMETHEUS} is missing: install the Debian package prometheus`).toBe(
    true,
  );
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 3, aliases: ['production'] }));
  await t.register(penguinsSpec({ seed: 11, aliases: ['staging'] }));
  await t.register(carsSpec({ seed: 5, aliases: ['production'] }));
  const drift = { window: 40, every: 20, minSamples: 20, minIntervalMs: 0, threshold: 0.3 };
  server = await startServer({
    store: t.stack.store,
    meta: t.stack.meta,
    models: [
      {
        name: 'penguins',
        drift,
        logSampleRate: 0.2,
        rollout: {
          strategy: 'canary',
          traffic: 0.5,
          duration: 3600,
          minRequests: 1_000_000,
          maxDivergence: 1,
          maxErrorRateIncrease: 1,
          maxLatencyP95Increase: 1000,
        },
      },
      { name: 'cars', drift },
    ],
    port: 0,
    pollIntervalMs: 500,
    processMetrics: true,
  });
  await t.stack.meta.setAlias('penguins', 'candidate', 2, { who: 'test', why: 'canary under Prometheus' });
  await server.refresh();
  expect(server.service.model('penguins').rollout).not.toBeNull();

  dir = mkdtempSync(join(tmpdir(), 'myelin-prometheus-'));
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(deploy('prometheus/myelin-serving-alerts.yml'))}]`,
      'scrape_configs:',
      '  - job_name: myelin',
      `    static_configs: [{ targets: ["127.0.0.1:${server.port}"] }]`,
      '',
    ].join('\n'),
  );
  prom = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  prom.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  traffic = drive();
  // enough scrapes of a server under traffic for rate() over [1m] and the drift window
  await vi.waitFor(
    async () => {
      const r = await query('count_over_time(up{job="myelin"}[1m])');
      expect(stderr).toBe('');
      expect(
        Number((r.data?.result[0] as { value: [number, string] } | undefined)?.value[1] ?? 0),
      ).toBeGreaterThanOrEqual(8);
    },
    { timeout: 60_000, interval: 500 },
  );
  await vi.waitFor(
    async () =>
      expect((await query('myelin_serving_rollout_divergence')).data.result.length).toBeGreaterThan(0),
    {
      timeout: 30_000,
      interval: 500,
    },
  );
}, 180_000);

afterAll(async () => {
  stopTraffic = true;
  await traffic;
  prom?.kill('SIGTERM');
  await server?.close();
  await t?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('deploy/ against a real Prometheus scraping a server with traffic', () => {
  it('loads every alert rule and evaluates it without error', async () => {
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.length).toBeGreaterThan(5);
    for (const r of loaded)
      expect({ name: r.name, health: r.health, lastError: r.lastError ?? '' }).toEqual({
        name: r.name,
        health: 'ok',
        lastError: '',
      });
  });

  it('every alert expression finds its series (thresholds as bool comparisons)', async () => {
    const file = parseYaml(readFileSync(deploy('prometheus/myelin-serving-alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const alerts = file.groups.flatMap((g) => g.rules);
    expect(alerts.length).toBeGreaterThan(5);
    for (const a of alerts) {
      const expr = a.expr.replace(/(>=|<=|==|!=|>|<)\s*(-?\d+(\.\d+)?)/g, '$1 bool $2');
      const r = await query(expr);
      expect(r.status, `${a.alert}: ${r.error ?? ''}`).toBe('success');
      expect(r.data.result.length, `${a.alert}: ${expr}`).toBeGreaterThan(0);
    }
  });

  it('every dashboard panel expression returns data', async () => {
    const dash = JSON.parse(readFileSync(deploy('grafana/myelin-serving-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const targets = dash.panels.flatMap((p) =>
      (p.targets ?? []).map((x) => ({ title: p.title, expr: x.expr })),
    );
    expect(targets.length).toBeGreaterThan(15);
    for (const { title, expr } of targets) {
      const q = expr.replaceAll('$model', '.*');
      const r = await query(q);
      expect(r.status, `${title}: ${r.error ?? ''}`).toBe('success');
      expect(r.data.result.length, `${title}: ${q}`).toBeGreaterThan(0);
    }
  });
});
