import { FlowProducer, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { startRedisServer, type TestRedisServer } from '../testing/start-redis-server.js';
import { compilePlan } from '../plan/compile-plan.js';
import { buildRunFlow } from './build-run-flow.js';
import { bullmqQueueName } from '../queue/queue-names.js';
import { isCancelFlagSet, setCancelFlag } from '../queue/run-cancel-flag.js';
import { ReconcilerLeader } from './reconciler-leader.js';

const loaded = parseSpec(
  'apiVersion: myelin/v1\nname: p\ndata: { source: d.csv, target: y }\nmodel: { layers: [ { dense: { units: 2 } } ] }\n',
  '/abs/p.yaml',
);
const STATES = ['active', 'wait', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed'] as const;

let redis: TestRedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describe('queue prefix', () => {
  it('keeps two stacks on one Redis apart: jobs, cancel flags and the reconciler lead', async () => {
    const connection = { url: redis.url, maxRetriesPerRequest: null };
    const runId = 'r-01jabcdefghjkmnpqrstvwxyz0';
    const producer = new FlowProducer({ connection, prefix: 'team-a' });
    await producer.add(
      buildRunFlow({
        runId,
        prefix: 'team-a',
        plan: compilePlan(loaded.spec),
        spec: loaded.spec,
        specFile: loaded.file,
        options: { allowOutside: false, noCache: false },
      }),
    );
    const seen: Record<string, string[]> = { 'team-a': [], 'team-b': [] };
    const workers = (['team-a', 'team-b'] as const).map(
      (prefix) =>
        new Worker(
          bullmqQueueName('cpu'),
          async (job) => {
            seen[prefix]!.push(job.name);
            return null;
          },
          { connection, prefix, concurrency: 1 },
        ),
    );
    const a = new Queue(bullmqQueueName('cpu'), { connection, prefix: 'team-a' });
    const b = new Queue(bullmqQueueName('cpu'), { connection, prefix: 'team-b' });
    try {
      // the first step (ingest) is processed by team-a's worker; the chain goes on from there
      await new Promise<void>((resolve) =>
        workers[0]!.on('completed', (job) => {
          if (job.name === 'ingest') resolve();
        }),
      );
      expect(seen['team-a']).toContain('ingest');
      expect(seen['team-b']).toEqual([]);
      const countsB = await b.getJobCounts(...STATES);
      expect(Object.values(countsB).every((n) => n === 0)).toBe(true);
      const countsA = await a.getJobCounts(...STATES);
      expect(Object.values(countsA).reduce((x, y) => x + y, 0)).toBeGreaterThan(0);

      await setCancelFlag(client, 'team-a', runId);
      expect(await isCancelFlagSet(client, 'team-a', runId)).toBe(true);
      expect(await isCancelFlagSet(client, 'team-b', runId)).toBe(false);

      const leadA = new ReconcilerLeader(client, 'team-a', 'a', 10_000);
      const leadB = new ReconcilerLeader(client, 'team-b', 'b', 10_000);
      expect(await leadA.lead()).toBe(true);
      expect(await leadB.lead()).toBe(true);
      expect(await new ReconcilerLeader(client, 'team-a', 'a2', 10_000).lead()).toBe(false);
      await leadA.release();
      await leadB.release();
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([a.close(), b.close(), producer.close()]);
    }
  });
});
