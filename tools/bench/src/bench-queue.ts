/**
 * `npm run bench:queue [-- --runs N] [--throughput-runs N] [--concurrency N] [--no-s3]`: the cost of the
 * queue path, beside raw BullMQ in the same process, on a redis-server the script starts itself
 * (no persistence, a free port), with the metadata in SQLite (a temp folder) and in PostgreSQL
 * (a temp database on 127.0.0.1:5432; skipped with a line when none answers), each under its own
 * queue prefix.
 *
 * (a) dispatch overhead: from `submitRun` to the first step starting on a worker, p50/p95 over
 *     `--runs` (200) sequential runs of a trivial pipeline (every step a no-op), beside a raw
 *     BullMQ `queue.add` → processor-start round trip measured the same way.
 * (b) throughput: steps/s of `--throughput-runs` (100) trivial runs submitted at once through
 *     the BullmqExecutor and processed by `processStepJob` (the worker's step processor) with
 *     `--concurrency` (8), vs raw no-op BullMQ jobs (as many as steps) through one Worker with the
 *     same concurrency; the ratio says what the executor's bookkeeping costs.
 * (c) S3 MB/s: runs `tools/bench/src/bench-s3.ts` (the S3 engineer's) as a child process, if present
 *     and `--no-s3` is not given (repeated queue measurements, e.g. before/after a change).
 *
 * Steps are no-ops on purpose: this measures dispatch and records (flow creation, metadata writes,
 * job hand-offs), not training.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { parseSpec } from '@myelin/spec';
import {
  BullmqExecutor,
  bullmqQueueName,
  openStack,
  processStepJob,
  submitRun,
  type DatabaseConfig,
  type Stack,
  type StepDefinition,
  type StepName,
} from '@myelin/pipeline';
import { startRedisServer } from '@myelin/pipeline/testing';
import { createTempPostgresDatabase, postgresTestSkipReason } from '@myelin/registry/testing';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer`);
  return v;
};
const RUNS = option('--runs', 200);
const TP_RUNS = option('--throughput-runs', 100);
const CONCURRENCY = option('--concurrency', 8);
const NAMES: StepName[] = ['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register'];

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(2)} ms`;
/** CPU time of this process (user + system) since `start`, in ms: steadier than wall time on a shared machine. */
const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

const firstStepAt = new Map<string, number>();
const steps: Partial<Record<StepName, StepDefinition>> = {};
for (const name of NAMES) {
  steps[name] = {
    name,
    cacheKey: async () => null,
    run: async (ctx) => {
      if (name === 'ingest') firstStepAt.set(ctx.runId, performance.now());
      return { ok: true };
    },
  };
}

const redis = await startRedisServer();
const home = mkdtempSync(join(tmpdir(), 'myelin-bench-queue-'));
const connection = { url: redis.url, maxRetriesPerRequest: null };
const loaded = parseSpec(
  'apiVersion: myelin/v1\nname: trivial\ndata: { source: d.csv, target: y }\nmodel: { layers: [ { dense: { units: 1 } } ] }\n',
  join(home, 'trivial.yaml'),
);

/** Myelin's dispatch latencies and throughput on one metadata store, under its own queue prefix. */
async function measureMyelin(database: DatabaseConfig, prefix: string, dispatchRuns: number) {
  const opened = await openStack({
    config: {
      executor: { kind: 'bullmq', url: redis.url, prefix },
      artifacts: { kind: 'fs', root: join(home, prefix, 'artifacts') },
      database,
      file: null,
    },
  });
  await opened.executor.close?.();
  const executor = new BullmqExecutor({ url: redis.url, prefix, pollMs: 5 }, opened.meta);
  const s: Stack = { ...opened, executor };
  const worker = new Worker(
    bullmqQueueName('cpu'),
    (job) => processStepJob(job, { store: s.store, meta: s.meta, stopReason: () => null, steps }),
    { connection, prefix, concurrency: CONCURRENCY },
  );
  try {
    await worker.waitUntilReady();
    // (a) dispatch overhead
    const dispatch: number[] = [];
    for (let i = 0; i < dispatchRuns + 5; i++) {
      const t0 = performance.now();
      const { runId, done } = await submitRun(loaded, s, { trigger: 'api', noCache: true });
      const summary = await done;
      if (summary.status !== 'succeeded') throw new Error(`bench run failed: ${JSON.stringify(summary.error)}`);
      if (i >= 5) dispatch.push(firstStepAt.get(runId)! - t0); // 5 warm-up runs
    }
    // (b) throughput
    const cpu0 = process.cpuUsage();
    const tp0 = performance.now();
    const submitted = await Promise.all(
      Array.from({ length: TP_RUNS }, () => submitRun(loaded, s, { trigger: 'api', noCache: true })),
    );
    const summaries = await Promise.all(submitted.map((r) => r.done));
    const tpMs = performance.now() - tp0;
    const cpuMs = cpuMsSince(cpu0);
    if (summaries.some((x) => x.status !== 'succeeded')) throw new Error('a throughput run failed');
    return { dispatch, tpMs, cpuMs };
  } finally {
    await worker.close();
    await executor.close();
    await s.close();
  }
}

const pgSkip = await postgresTestSkipReason();
const pgDb = pgSkip ? undefined : await createTempPostgresDatabase();
try {
  const sqlite = await measureMyelin({ kind: 'sqlite', dir: join(home, 'sqlite') }, `bench-sqlite-${process.pid}`, RUNS);
  const dispatch = sqlite.dispatch;
  const tpMs = sqlite.tpMs;
  const postgres = pgDb
    ? await measureMyelin({ kind: 'postgres', url: pgDb.url }, `bench-pg-${process.pid}`, 20)
    : undefined;

  // raw BullMQ: the same round trip and the same number of no-op jobs
  const raw = new Queue('bench-raw', { connection, prefix: 'bench' });
  const events = new QueueEvents('bench-raw', { connection, prefix: 'bench' });
  await events.waitUntilReady();
  const started = new Map<string, number>();
  const rawWorker = new Worker(
    'bench-raw',
    async (job) => {
      started.set(job.id!, performance.now());
      return null;
    },
    { connection, prefix: 'bench', concurrency: CONCURRENCY },
  );
  await rawWorker.waitUntilReady();
  const rawDispatch: number[] = [];
  for (let i = 0; i < RUNS + 5; i++) {
    const t0 = performance.now();
    const job = await raw.add('noop', { i });
    await job.waitUntilFinished(events);
    if (i >= 5) rawDispatch.push(started.get(job.id!)! - t0);
  }
  const nJobs = TP_RUNS * NAMES.length;
  let completed = 0;
  const allDone = new Promise<void>((resolve) =>
    rawWorker.on('completed', () => {
      if (++completed === nJobs) resolve();
    }),
  );
  const rawCpu0 = process.cpuUsage();
  const raw0 = performance.now();
  await raw.addBulk(
    Array.from({ length: nJobs }, (_, i) => ({
      name: 'noop',
      data: { i },
      opts: { removeOnComplete: true },
    })),
  );
  await allDone;
  const rawMs = performance.now() - raw0;
  const rawCpuMs = cpuMsSince(rawCpu0);
  await rawWorker.close();
  await events.close();
  await raw.close();

  const myelinTp = (TP_RUNS * NAMES.length) / (tpMs / 1000);
  const rawTp = nJobs / (rawMs / 1000);
  console.log(
    `bench:queue — redis-server on ${redis.url} (no persistence), metadata in SQLite and PostgreSQL, no-op steps, concurrency ${CONCURRENCY}\n`,
  );
  console.log('(a) dispatch overhead: submit → first step starting');
  console.log(`| path | runs | p50 | p95 |\n| --- | --- | --- | --- |`);
  console.log(
    `| Myelin BullmqExecutor (submitRun → ingest starts) | ${RUNS} | ${ms(pct(dispatch, 50))} | ${ms(pct(dispatch, 95))} |`,
  );
  console.log(
    `| raw BullMQ (queue.add → processor starts) | ${RUNS} | ${ms(pct(rawDispatch, 50))} | ${ms(pct(rawDispatch, 95))} |`,
  );
  console.log('\n(b) throughput');
  console.log(
    `| path | steps | seconds | steps/s | CPU ms/step (this process) |\n| --- | --- | --- | --- | --- |`,
  );
  console.log(
    `| Myelin (${TP_RUNS} runs × 6 steps, metadata records per step) | ${TP_RUNS * 6} | ${(tpMs / 1000).toFixed(2)} | ${myelinTp.toFixed(1)} | ${(sqlite.cpuMs / (TP_RUNS * 6)).toFixed(3)} |`,
  );
  const pgTp = postgres ? (TP_RUNS * NAMES.length) / (postgres.tpMs / 1000) : undefined;
  if (postgres && pgTp !== undefined)
    console.log(
      `| Myelin on PostgreSQL (${TP_RUNS} runs × 6 steps) | ${TP_RUNS * 6} | ${(postgres.tpMs / 1000).toFixed(2)} | ${pgTp.toFixed(1)} | ${(postgres.cpuMs / (TP_RUNS * 6)).toFixed(3)} |`,
    );
  console.log(`| raw BullMQ no-op jobs | ${nJobs} | ${(rawMs / 1000).toFixed(2)} | ${rawTp.toFixed(1)} | ${(rawCpuMs / nJobs).toFixed(3)} |`);
  console.log(`\nratio Myelin / raw (SQLite): ${(myelinTp / rawTp).toFixed(3)}`);
  console.log(
    pgTp !== undefined
      ? `ratio Myelin / raw (PostgreSQL): ${(pgTp / rawTp).toFixed(3)}`
      : `PostgreSQL not measured: ${pgSkip ?? ''}`,
  );
} finally {
  await pgDb?.drop();
  await redis.stop();
  rmSync(home, { recursive: true, force: true });
}

const s3Bench = fileURLToPath(new URL('./bench-s3.ts', import.meta.url));
if (existsSync(s3Bench) && !argv.includes('--no-s3')) {
  console.log('\n(c) S3 (tools/bench/src/bench-s3.ts)');
  execFileSync(process.execPath, ['--import', 'tsx', s3Bench], { stdio: 'inherit' });
}
process.exit(0);
