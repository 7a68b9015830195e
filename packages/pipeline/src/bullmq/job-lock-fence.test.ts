import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArtifactStore } from '@myelin/artifacts';
import { openEmbeddedMetadataStore, type MetadataStore } from '@myelin/registry';
import { startRedisServer, type TestRedisServer } from '../testing/start-redis-server.js';
import { fenceArtifactStore } from '../queue/fence-artifact-store.js';
import { fenceMetadataStore } from '../queue/fence-metadata-store.js';
import { jobLockFence, jobLockKey } from './job-lock-fence.js';
import { QUEUE_PREFIX } from '../queue/queue-names.js';
import type { Fence } from '../queue/fence.js';

let redis: TestRedisServer;
let client: Redis;
let meta: MetadataStore;
const dir = mkdtempSync(join(tmpdir(), 'myelin-fence-'));

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
  meta = await openEmbeddedMetadataStore({ dir });
});
afterAll(async () => {
  client.disconnect();
  await meta.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

/**
 * Runs `body` inside a real BullMQ processor, with the job, the token BullMQ gave it and the
 * job's lock fence (on `client`).
 */
async function insideJob(body: (job: Job, token: string, fence: Fence) => Promise<void>): Promise<void> {
  const name = `fence-${Math.random().toString(36).slice(2)}`;
  const queue = new Queue(name, { connection: { url: redis.url }, prefix: QUEUE_PREFIX });
  let failure: unknown;
  const done = new Promise<void>((resolve) => {
    const worker = new Worker(
      name,
      async (job, token) => {
        try {
          const fence = jobLockFence({
            redis: client,
            queueQualifiedName: job.queueQualifiedName,
            jobId: job.id!,
            token: token!,
          });
          await body(job, token!, fence);
        } catch (e) {
          failure = e;
        }
      },
      {
        connection: { url: redis.url, maxRetriesPerRequest: null },
        prefix: QUEUE_PREFIX,
        lockDuration: 30_000,
      },
    );
    worker.on('completed', () => void worker.close().then(() => resolve()));
    worker.on('failed', () => void worker.close().then(() => resolve()));
  });
  await queue.add('step', { runId: 'r-x' });
  await done;
  await queue.close();
  if (failure) throw failure;
}

describe('jobLockFence: a step job writes only while it holds its lock', () => {
  it('opens for the lock holder, and closes once the lock expired or passed to another worker', async () => {
    await insideJob(async (job, token, fence) => {
      await fence();
      const key = jobLockKey(job.queueQualifiedName, job.id!);
      expect(await client.get(key)).toBe(token);
      await client.set(key, 'another-worker:1');
      expect(await codeOf(fence())).toBe('MYELIN_ERR_QUEUE_FENCED');
      await client.del(key);
      await expect(fence()).rejects.toThrow(/its lock expired/);
      await client.set(key, token); // give it back so BullMQ can complete the job
    });
  });

  it('a fenced store refuses ref writes (a checkpoint) and a fenced metadata store every write, reads go on', async () => {
    await insideJob(async (job, token, fence) => {
      const fs = new FsArtifactStore({ root: join(dir, 'artifacts') });
      const store = fenceArtifactStore(fs, fence);
      const fencedMeta = fenceMetadataStore(meta, fence);
      const run = await fencedMeta.createRun({ pipeline: 'p', trigger: 'cli', specHash: 'h', specText: 't' });
      const { key } = await store.put(new TextEncoder().encode('epoch 3'));
      await store.putRef('checkpoints/r-x/train/latest', key);
      const lock = jobLockKey(job.queueQualifiedName, job.id!);
      await client.set(lock, 'the-new-holder:7');
      const { key: stale } = await store.put(new TextEncoder().encode('epoch 2, from the stale trainer'));
      expect(await codeOf(store.putRef('checkpoints/r-x/train/latest', stale))).toBe(
        'MYELIN_ERR_QUEUE_FENCED',
      );
      expect(await fs.getRef('checkpoints/r-x/train/latest')).toBe(key);
      expect(await codeOf(fencedMeta.startStep(run.id, 'train'))).toBe('MYELIN_ERR_QUEUE_FENCED');
      expect(
        await codeOf(
          fencedMeta.recordEpoch({ runId: run.id, step: 'train', epoch: 2, metrics: { loss: 1 } }),
        ),
      ).toBe('MYELIN_ERR_QUEUE_FENCED');
      expect(await fencedMeta.getRun(run.id)).toMatchObject({ id: run.id, steps: [] });
      expect(await meta.listEpochs(run.id)).toEqual([]);
      await client.set(lock, token);
    });
  });

  it('closes when Redis does not answer (a write nobody can prove safe is not made)', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    const fence = jobLockFence({
      redis: dead,
      queueQualifiedName: 'myelin:q',
      jobId: 'j',
      token: 't',
      tries: 1,
    });
    await expect(fence()).rejects.toThrow(/Redis did not answer/);
    dead.disconnect();
  });
});
