import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ArtifactStore } from '@myelin/artifacts';
import { startS3rver, type RunningS3rver } from '@myelin/artifacts/testing';
import { openPostgresMetadataStore, type MetadataStore } from '@myelin/registry';
import {
  createTempPostgresDatabase,
  postgresTestSkipReason,
  type TempPostgresDatabase,
} from '@myelin/registry/testing';
import { startRedisServer, type TestRedisServer } from '@myelin/pipeline/testing';
import { bin, penguinsPipeline, repoRoot, scratch } from './myelin-cli.js';

const skip = await postgresTestSkipReason();
const BUCKET = 'myelin-e2e';

interface Summary {
  status: string;
  runId: string;
  model: { name: string; version: number; manifest: string } | null;
  steps: { name: string; status: string }[];
  error: { code: string; message: string } | null;
}

interface Proc {
  child: ChildProcess;
  out: string;
  exited: Promise<number | null>;
}

let redis: TestRedisServer;
let s3: RunningS3rver;
let db: TempPostgresDatabase;
let meta: MetadataStore;
let home: string;
const workers: Proc[] = [];

/** This test's own queue prefix (as BullMQ's own tests do): nothing it queues meets another's. */
const QUEUE_PREFIX_OF_TEST = `e2e-${process.pid}-${Date.now()}`;

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MYELIN_HOME: home,
    MYELIN_REDIS_URL: redis.url,
    MYELIN_QUEUE_PREFIX: QUEUE_PREFIX_OF_TEST,
    MYELIN_ARTIFACTS: `s3://${BUCKET}/runs`,
    MYELIN_S3_ENDPOINT: s3.endpoint,
    MYELIN_S3_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    MYELIN_DATABASE_URL: db.url,
    MYELIN_NO_PROGRESS: '1',
    NO_COLOR: '1',
  };
}

function start(args: string[]): Proc {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { child, out: '', exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.out += d.toString()));
  return p;
}

/** A `myelin worker` process on the cpu queue, with short lock/stall settings so a killed worker's job moves on quickly. */
function startWorkerProcess(): Proc {
  const flags = [
    'worker',
    '--queues',
    'cpu',
    '--concurrency',
    '1',
    '--lock-duration-ms',
    '4000',
    '--stalled-interval-ms',
    '1000',
  ];
  const p = start([bin, ...flags]);
  workers.push(p);
  return p;
}

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function runCli(args: string[]): Proc {
  return start([bin, ...args]);
}

async function summaryOf(p: Proc): Promise<{ code: number | null; summary: Summary }> {
  const code = await p.exited;
  const json = p.out.slice(p.out.indexOf('\n{') + 1);
  return { code, summary: JSON.parse(json.slice(0, json.lastIndexOf('}') + 1)) as Summary };
}

describe.skipIf(skip !== null)(
  'the production stack across processes: Redis + S3 + PostgreSQL + two workers',
  () => {
    beforeAll(async () => {
      home = scratch('dist');
      [redis, s3, db] = await Promise.all([
        startRedisServer(),
        startS3rver({ buckets: [BUCKET] }),
        createTempPostgresDatabase(),
      ]);
      meta = await openPostgresMetadataStore({ url: db.url });
      const a = startWorkerProcess();
      const b = startWorkerProcess();
      await until(
        'two workers ready',
        () => /ready: queues/.test(a.out) && /ready: queues/.test(b.out),
        60_000,
      );
    });
    afterAll(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
      await meta?.close();
      await db?.drop();
      await s3?.stop();
      await redis?.stop();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it('runs penguins through the queues: artifacts in the bucket, the version in PostgreSQL, verify through S3', async () => {
      const dir = scratch('dist-p');
      const run = runCli([
        'run',
        penguinsPipeline(dir, { epochs: 10, gate: 0.8, checkpointEvery: 2 }),
        '--json',
      ]);
      const { code, summary } = await summaryOf(run);
      expect(code, run.out).toBe(0);
      expect(summary.status).toBe('succeeded');
      expect(summary.model).toMatchObject({ name: 'penguins', version: 1 });
      expect(run.out).toMatch(/BullMQ queues on redis:\/\/127\.0\.0\.1/);

      const version = await meta.getVersion('penguins', 1);
      expect(version?.manifestKey).toBe(summary.model!.manifest);
      const store = new S3ArtifactStore({
        bucket: BUCKET,
        prefix: 'runs',
        endpoint: s3.endpoint,
        region: s3.region,
        credentials: s3.credentials,
      });
      expect(await store.head(summary.model!.manifest)).not.toBeNull();
      const manifest = JSON.parse(
        new TextDecoder().decode(await store.getBytes(summary.model!.manifest)),
      ) as { files: { key: string }[] };
      for (const f of manifest.files) expect(await store.head(f.key)).not.toBeNull();

      const verify = runCli(['verify', 'penguins:staging']);
      expect(await verify.exited, verify.out).toBe(0);
      expect(verify.out).toMatch(/ok penguins@1/);
      // both workers took jobs from the same queue
      expect(workers.filter((w) => / done /.test(w.out)).length).toBeGreaterThanOrEqual(1);
    });

    it('the queue API on this stack: POST /api/runs, then the server-sent events follow the run to its end', async () => {
      const api = start([bin, 'api', '--port', '0']);
      await until('the API listening', () => /listening on http:\/\/\S+/.test(api.out), 60_000);
      const url = /listening on (http:\/\/\S+)/.exec(api.out)![1]!;
      try {
        const dir = scratch('dist-api');
        const yaml = readFileSync(penguinsPipeline(dir, { name: 'viaapi', epochs: 6, gate: 0.5 }), 'utf8');
        const res = await fetch(`${url}/api/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ spec: yaml, file: 'viaapi.yaml', baseDir: dir }),
        });
        expect(res.status, await res.clone().text()).toBe(202);
        const { runId } = (await res.json()) as { runId: string };
        const events = await (await fetch(`${url}/api/runs/${runId}/events`)).text();
        expect(events).toMatch(/"type":"epoch"/);
        expect(events).toMatch(/event: end/);
        const run = (await (await fetch(`${url}/api/runs/${runId}`)).json()) as {
          status: string;
          model: { version: number } | null;
        };
        expect(run.status).toBe('succeeded');
        expect(run.model?.version).toBe(1);
        expect((await meta.getModel('viaapi'))?.versions).toHaveLength(1);
      } finally {
        api.child.kill('SIGTERM');
        await api.exited;
      }
    });

    it('a worker SIGKILLed mid-epoch: the other worker resumes training from the checkpoint and the run completes, registered once', async () => {
      const dir = scratch('dist-k');
      const run = runCli([
        'run',
        penguinsPipeline(dir, { name: 'killed', epochs: 60, gate: 0.5, checkpointEvery: 2 }),
        '--json',
      ]);
      let victim: Proc | undefined;
      await until('training past its first checkpoint on a worker', () => {
        victim = workers.find(
          (w) => w.child.exitCode === null && /epoch train r-\S+ ([4-9]|\d\d)\/60/.test(w.out),
        );
        return victim !== undefined;
      });
      victim!.child.kill('SIGKILL');
      await victim!.exited;
      const { code, summary } = await summaryOf(run);
      expect(code, run.out).toBe(0);
      expect(summary.status).toBe('succeeded');
      const rec = await meta.getRun(summary.runId);
      const train = rec!.steps.find((s) => s.name === 'train')!;
      expect(train.outputs?.resumedFromEpoch).toBeGreaterThan(0);
      expect(train.attempt).toBeGreaterThanOrEqual(2);
      expect((await meta.getModel('killed'))?.versions).toHaveLength(1);
      // a replacement for the next test
      const fresh = startWorkerProcess();
      await until('replacement worker ready', () => /ready: queues/.test(fresh.out), 60_000);
    });

    it('Redis restarted mid-run: the run completes or fails with a clear reason, never hangs', async () => {
      const dir = scratch('dist-r');
      const run = runCli([
        'run',
        penguinsPipeline(dir, { name: 'restarted', epochs: 60, gate: 0.5, checkpointEvery: 2 }),
        '--json',
      ]);
      await until('training under way', () =>
        workers.some((w) => w.child.exitCode === null && /epoch train r-\S+ [2-9]\/60/.test(w.out)),
      );
      await redis.restart();
      const { summary } = await summaryOf(run);
      expect(['succeeded', 'failed']).toContain(summary.status);
      if (summary.status === 'failed') {
        expect(summary.error?.code).toBe('MYELIN_ERR_QUEUE');
        expect(summary.error?.message).toMatch(/Redis/);
      }
      expect((await meta.getRun(summary.runId))?.status).toBe(summary.status);
    });
  },
);
