import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedMetadataStore, type MetadataStore } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { startRedisServer, type TestRedisServer } from '../testing/start-redis-server.js';
import { bullmqQueueName, QUEUE_PREFIX, stepJobId } from '../queue/queue-names.js';
import { ReconcilerLeader } from './reconciler-leader.js';
import { RunReconciler } from './run-reconciler.js';

const SPEC = `apiVersion: myelin/v1
name: recon
data: { source: rows.csv, target: y }
model: { layers: [ { dense: { units: 4, activation: relu } } ] }
`;
const specFile = '/srv/pipelines/recon.yaml';
const loaded = parseSpec(SPEC, specFile);
const options = { allowOutside: false, noCache: false };

let redis: TestRedisServer;
let meta: MetadataStore;
let client: Redis;
let cpu: Queue;
const dir = mkdtempSync(join(tmpdir(), 'myelin-reconcile-'));
const reconcilers: RunReconciler[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  meta = await openEmbeddedMetadataStore({ dir });
  client = new Redis(redis.url);
  cpu = new Queue(bullmqQueueName('cpu'), { connection: { url: redis.url }, prefix: QUEUE_PREFIX });
});
afterAll(async () => {
  for (const r of reconcilers) await r.stop();
  await cpu.close();
  client.disconnect();
  await meta.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

function reconciler(extra: { maxRequeues?: number } = {}): RunReconciler {
  const r = new RunReconciler({
    url: redis.url,
    meta,
    name: 'test',
    submitGraceMs: 0,
    startGraceMs: 60_000,
    ...extra,
  });
  reconcilers.push(r);
  return r;
}

/** A run as a queue submission records it, created long ago, with the given steps done. */
async function runWith(
  done: string[],
  opts: { specFile?: string | null; running?: { step: string; leaseMs?: number } } = {},
): Promise<string> {
  const run = await meta.createRun({
    pipeline: 'recon',
    trigger: 'api',
    specHash: loaded.hash,
    specText: loaded.text,
    status: 'running',
    ...(opts.specFile === null ? {} : { specFile: opts.specFile ?? specFile, options }),
  });
  for (const step of done) {
    await meta.startStep(run.id, step);
    await meta.finishStep(run.id, step, { status: 'succeeded', outputs: { [`${step}Out`]: 1 } });
  }
  if (opts.running) {
    await meta.startStep(run.id, opts.running.step);
    if (opts.running.leaseMs !== undefined)
      await meta.heartbeatStep(run.id, opts.running.step, opts.running.leaseMs);
  }
  return run.id;
}

describe('RunReconciler: runs whose jobs Redis lost are recovered, never left running', () => {
  it('re-enqueues a run from its last finished step once its job is missing twice and no worker holds it', async () => {
    const id = await runWith(['ingest', 'validate'], { running: { step: 'preprocess', leaseMs: 1 } });
    await new Promise((r) => setTimeout(r, 5)); // the 1 ms lease has passed
    const r = reconciler();
    expect(await r.reconcileOnce()).toEqual([]); // seen missing once: nothing yet
    const [action] = await r.reconcileOnce();
    expect(action).toMatchObject({ runId: id, action: 'requeued', step: 'preprocess' });
    // the flow holds the remaining steps only, the first of them ready for a worker
    const leaf = await Job.fromId(cpu, stepJobId(id, 'preprocess'));
    expect(await leaf?.getState()).toBe('waiting');
    expect(leaf?.data).toEqual({ v: 1, runId: id, step: 'preprocess', specFile, options });
    expect(await (await Job.fromId(cpu, stepJobId(id, 'register')))?.getState()).toBe('waiting-children');
    expect(await Job.fromId(cpu, stepJobId(id, 'ingest'))).toBeUndefined();
    const run = (await meta.getRun(id))!;
    expect(run.status).toBe('running');
    expect(run.steps.find((s) => s.name === 'ingest')?.outputs).toEqual({ ingestOut: 1 });
    expect(run.steps.find((s) => s.name === 'preprocess')?.logs).toMatch(
      /re-enqueued by the run reconciler from step preprocess/,
    );
    // its jobs are there now: the next passes leave it alone
    expect(await r.reconcileOnce()).toEqual([]);
    expect(await r.reconcileOnce()).toEqual([]);
  });

  it('leaves a step alone while its worker holds it (its lease is ahead), even with its job gone', async () => {
    const id = await runWith(['ingest'], { running: { step: 'validate', leaseMs: 60_000 } });
    const r = reconciler();
    await r.reconcileOnce();
    await r.reconcileOnce();
    expect((await meta.getRun(id))?.status).toBe('running');
    expect(await Job.fromId(cpu, stepJobId(id, 'validate'))).toBeUndefined();
  });

  it('ends a run whose steps had all finished, and fails one it cannot queue again with MYELIN_ERR_QUEUE saying why', async () => {
    const all = await runWith(['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register']);
    const blind = await runWith([], { specFile: null });
    const r = reconciler();
    const first = await r.reconcileOnce();
    expect(first).toContainEqual(expect.objectContaining({ runId: all, action: 'finished' }));
    expect((await meta.getRun(all))?.status).toBe('succeeded');
    const second = await r.reconcileOnce();
    expect(second).toContainEqual(expect.objectContaining({ runId: blind, action: 'failed' }));
    const run = (await meta.getRun(blind))!;
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('MYELIN_ERR_QUEUE');
    expect(run.error?.message).toMatch(/no job in Redis.*no recorded dispatch/);
    expect(run.steps.map((s) => s.status)).toEqual([
      'failed',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
  });

  it('gives up after maxRequeues recoveries of one run', async () => {
    const id = await runWith([]);
    const r = reconciler({ maxRequeues: 1 });
    await r.reconcileOnce();
    expect((await r.reconcileOnce()).map((a) => a.action)).toContain('requeued');
    await client.flushall(); // Redis loses the jobs again
    await r.reconcileOnce();
    const [again] = (await r.reconcileOnce()).filter((a) => a.runId === id);
    expect(again).toMatchObject({ action: 'failed' });
    expect((await meta.getRun(id))?.error?.message).toMatch(/after 1 recoveries already/);
  });

  it('fails a run whose job failed for good when no worker ended it, with the step error', async () => {
    const id = await runWith([]);
    await meta.startStep(id, 'ingest');
    await meta.finishStep(id, 'ingest', {
      status: 'failed',
      error: { code: 'MYELIN_ERR_DATA_READ', message: 'cannot read rows.csv: no such file' },
    });
    await client.flushall();
    // a worker fails the job for good, then dies before it ends the run
    await cpu.add('ingest', { runId: id }, { jobId: stepJobId(id, 'ingest') });
    const worker = new Worker(
      bullmqQueueName('cpu'),
      async () => {
        throw new UnrecoverableError('cannot read rows.csv: no such file');
      },
      { connection: { url: redis.url, maxRetriesPerRequest: null }, prefix: QUEUE_PREFIX },
    );
    await new Promise<void>((resolve) => worker.once('failed', () => resolve()));
    await worker.close();
    expect(await (await Job.fromId(cpu, stepJobId(id, 'ingest')))?.getState()).toBe('failed');
    const actions = await reconciler().reconcileOnce();
    expect(actions).toContainEqual(expect.objectContaining({ runId: id, action: 'failed', step: 'ingest' }));
    expect((await meta.getRun(id))?.error).toEqual({
      code: 'MYELIN_ERR_DATA_READ',
      message: 'cannot read rows.csv: no such file',
    });
  });
});

describe('ReconcilerLeader: one process of many reconciles', () => {
  it('lets one lead, keeps it with its renewals, and hands over when it lets go', async () => {
    const a = new ReconcilerLeader(client, QUEUE_PREFIX, 'a', 10_000);
    const b = new ReconcilerLeader(client, QUEUE_PREFIX, 'b', 10_000);
    expect(await a.lead()).toBe(true);
    expect(await b.lead()).toBe(false);
    expect(await a.lead()).toBe(true);
    await a.release();
    expect(await b.lead()).toBe(true);
    expect(await a.lead()).toBe(false);
    await b.release();
  });
});
