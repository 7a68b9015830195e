import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { myelinAsync, scratch, startMyelinServer } from './myelin-cli.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts a long-running `myelin …` and resolves with the URL its stdout announces. */
async function startServer(
  args: string[],
  home: string,
  announce: RegExp,
): Promise<{ url: string; log: () => string }> {
  const { child, url, stdout, stderr } = await startMyelinServer(args, home, announce);
  children.push(child);
  return { url, log: () => `${stdout()}\n${stderr()}` };
}

/** Progress of the long test on stderr (where it is when it fails). */
const stage = (what: string) => process.stderr.write(`${new Date().toISOString()} ${what}\n`);

async function until<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs: number,
  log?: () => string,
): Promise<T> {
  stage(`waiting for ${what}`);
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}${log ? `\n${log()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Seeded rows: x around `center`, label pos above it, neg below. */
function rows(center: number, n: number, seed: number): string {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = ['x,z,y'];
  for (let i = 0; i < n; i++) {
    const x = center + (rand() * 2 - 1) * 2;
    lines.push(`${x.toFixed(4)},${(rand() * 2 - 1).toFixed(4)},${x > center ? 'pos' : 'neg'}`);
  }
  return `${lines.join('\n')}\n`;
}

const today = () => new Date().toISOString().slice(0, 10);

const pipeline = (name: string, extra: string) => `apiVersion: myelin/v1
name: ${name}
data:
  source: data/{date:YYYY-MM-DD}.csv
  target: y
  split: { train: 0.7, validation: 0.15, test: 0.15, seed: 1, stratify: true }
model:
  layers:
    - dense: { units: 8, activation: relu }
train: { epochs: 15, batchSize: 32, seed: 1, optimizer: { name: adam, learningRate: 0.05 } }
evaluate:
  gates: { accuracy: { min: 0.6 } }
  compareTo: production
  tolerance: 0.5
register: { model: ${name}, aliases: [staging] }
${extra}`;

const api = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;

describe('retraining across processes (myelin up, myelin serve, myelin deploy)', () => {
  it(
    'drifted traffic → drift event → retraining run on the new data → gates → canary → promotion; and a schedule firing under myelin up',
    { timeout: 360_000 },
    async () => {
      const home = scratch('retrain-home');
      const dir = scratch('retrain-pipes');
      dirs.push(home, dir);
      mkdirSync(join(dir, 'data'));
      writeFileSync(join(dir, 'data', '2020-01-01.csv'), rows(0, 400, 7));
      const file = join(dir, 'drift-e2e.yaml');
      writeFileSync(
        file,
        pipeline(
          'drift-e2e',
          `deploy:
  strategy: canary
  canary: { traffic: 0.5, duration: 8s, maxErrorRateIncrease: 1, maxLatencyP95Increase: 1000, maxDivergence: 1 }
monitor:
  drift: { threshold: 0.3, window: 300 }
  retrain: { onDrift: true }
`,
        ),
      );
      const up = await startServer(
        ['up', '--port', '0', '--pipelines-dir', dir, '--retrain-cooldown', '0'],
        home,
        /Myelin is up: (http:\/\/\S+)/,
      );

      // a scheduled pipeline fires under `myelin up` (in-process: the embedded stack)
      const schedFile = join(dir, 'sched-e2e.yaml');
      writeFileSync(schedFile, pipeline('sched-e2e', 'monitor:\n  retrain: { schedule: "* * * * *" }\n'));
      const sched = await myelinAsync(['trigger', schedFile, '--api', up.url, '--json'], home);
      expect(sched.code, sched.stderr).toBe(0);
      const listed = await myelinAsync(['schedule', 'list', '--json'], home);
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({ pipeline: 'sched-e2e', cron: '* * * * *', timezone: 'UTC' }),
      ]);

      // version 1 on the old data, deployed directly, served by another process
      const first = await myelinAsync(['trigger', file, '--api', up.url, '--wait', '--json'], home);
      expect(first.code, first.stderr).toBe(0);
      const run1 = JSON.parse(first.stdout) as { id: string; model: { version: number } };
      expect(run1.model.version).toBe(1);
      const deployed = await myelinAsync(['deploy', 'drift-e2e', '1', '--strategy', 'direct'], home);
      expect(deployed.code, deployed.stderr).toBe(0);
      const serve = await startServer(
        ['serve', '--model', 'drift-e2e', '--port', '0', '--poll-ms', '200'],
        home,
        /serving .* on (http:\/\/\S+)/,
      );

      // the data moves: today's file holds it, and the live traffic looks like it
      writeFileSync(join(dir, 'data', `${today()}.csv`), rows(5, 400, 11));
      const predict = (n: number, seed: number) =>
        fetch(`${serve.url}/v1/models/drift-e2e:predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            instances: rows(5, n, seed)
              .trim()
              .split('\n')
              .slice(1)
              .map((l) => ({ x: Number(l.split(',')[0]), z: Number(l.split(',')[1]) })),
          }),
        });
      expect((await predict(400, 3)).status).toBe(200);

      type Trigger = {
        decision: string;
        runId: string | null;
        model: string;
        version: number;
        reason: string;
      };
      const started = await until(
        'the drift retraining',
        async () =>
          (await api<{ triggers: Trigger[] }>(`${up.url}/api/retraining?model=drift-e2e`)).triggers.find(
            (t) => t.decision === 'started',
          ),
        60_000,
        () => `${up.log()}\n${serve.log()}`,
      );
      expect(started).toMatchObject({ model: 'drift-e2e', version: 1 });

      type Run = {
        id: string;
        status: string;
        trigger: string;
        parentRunId: string | null;
        model: { version: number } | null;
        gates: Record<string, { passed: boolean }>;
      };
      const run2 = await until(
        'the retraining run to end',
        async () => {
          const r = await api<Run>(`${up.url}/api/runs/${started.runId}`);
          return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
        },
        90_000,
        up.log,
      );
      expect(run2).toMatchObject({
        status: 'succeeded',
        trigger: 'drift',
        parentRunId: run1.id,
        model: { version: 2 },
      });
      expect(Object.values(run2.gates).every((g) => g.passed)).toBe(true);

      // the canary: the server routes a share to @2, analyses it, promotes it
      await until(
        'the promotion of @2',
        async () => {
          await Promise.all(Array.from({ length: 40 }, (_, i) => predict(3, i + Date.now())));
          const m = await api<{ aliases: Record<string, number> }>(`${up.url}/api/models/drift-e2e`);
          return m.aliases.production === 2 ? m : undefined;
        },
        60_000,
        serve.log,
      );
      // the whole chain in one place (what the status page's Retraining view shows)
      type Chained = Trigger & {
        run: { status: string; version: number | null } | null;
        chain: { type: string }[];
      };
      const chained = (
        await api<{ triggers: Chained[] }>(`${up.url}/api/retraining?model=drift-e2e`)
      ).triggers.find((t) => t.runId === run2.id);
      expect(chained?.run).toMatchObject({ status: 'succeeded', version: 2 });
      expect(chained?.chain.map((e) => e.type)).toEqual([
        'retrain.started',
        'serving.deploy.started',
        'retrain.deployed',
        'serving.deploy.promoted',
      ]);
      stage('the status page');
      // …and on the status page, in a browser
      const profile = mkdtempSync(join(tmpdir(), 'myelin-chromium-'));
      dirs.push(profile);
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.MYELIN_CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
        ],
      });
      try {
        const page = browser.pages()[0] ?? (await browser.newPage());
        await page.goto(`${up.url}/#/retraining`);
        const row = page.locator('tr[data-decision="started"]').first();
        await row.getByText('promoted @2').waitFor({ timeout: 15_000 });
        expect(await row.textContent()).toMatch(
          /drift-e2e@1.*started.*started on drift of "x".*succeeded.*accuracy passed.*canary candidate.*promoted @2/s,
        );
        await page.goto(`${up.url}/#/runs/${run2.id}`);
        await page.getByText(`drift of ${run1.id}`).waitFor({ timeout: 15_000 });
      } finally {
        await browser.close();
      }
      const runsList = await myelinAsync(['runs', '--json', '--pipeline', 'drift-e2e'], home);
      const listedRuns = JSON.parse(runsList.stdout) as {
        id: string;
        trigger: string;
        parentRunId: string | null;
      }[];
      expect(listedRuns.find((r) => r.id === run2.id)).toMatchObject({
        trigger: 'drift',
        parentRunId: run1.id,
      });

      // the schedule fired by now or fires within the minute
      type RunRow = { id: string; trigger: string; pipeline: string };
      const scheduledRun = await until(
        'a scheduled run of sched-e2e',
        async () =>
          (await api<{ runs: RunRow[] }>(`${up.url}/api/runs?pipeline=sched-e2e`)).runs.find(
            (r) => r.trigger === 'schedule',
          ),
        75_000,
        up.log,
      );
      expect(scheduledRun.pipeline).toBe('sched-e2e');
      const rm = await myelinAsync(['schedule', 'rm', 'sched-e2e', '--json'], home);
      expect(JSON.parse(rm.stdout)).toEqual({ pipeline: 'sched-e2e', removed: true });
    },
  );
});
