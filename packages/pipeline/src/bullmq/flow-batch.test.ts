import { FlowProducer, Job, Queue, type FlowJob } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { startRedisServer, type TestRedisServer } from '../testing/start-redis-server.js';
import { compilePlan } from '../plan/compile-plan.js';
import { buildRunFlow } from './build-run-flow.js';
import { FlowBatch } from './flow-batch.js';
import { bullmqQueueName, stepJobId } from '../queue/queue-names.js';

const loaded = parseSpec(
  'apiVersion: myelin/v1\nname: p\ndata: { source: d.csv, target: y }\nmodel: { layers: [ { dense: { units: 2 } } ] }\n',
  '/abs/p.yaml',
);
const flowOf = (runId: string): FlowJob =>
  buildRunFlow({
    runId,
    prefix: 'batch',
    plan: compilePlan(loaded.spec),
    spec: loaded.spec,
    specFile: loaded.file,
    options: { allowOutside: false, noCache: false },
  });

let redis: TestRedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});

describe('FlowBatch', () => {
  it('puts the flows submitted in one turn on the queue with one addBulk call, later ones with the next', async () => {
    const producer = new FlowProducer({ connection: { url: redis.url }, prefix: 'batch' });
    const queue = new Queue(bullmqQueueName('cpu'), { connection: { url: redis.url }, prefix: 'batch' });
    const calls: number[] = [];
    const batch = new FlowBatch(async (flows) => {
      calls.push(flows.length);
      return producer.addBulk(flows);
    });
    try {
      const runs = ['r-01jbatch00000000000000000a', 'r-01jbatch00000000000000000b', 'r-01jbatch00000000000000000c'];
      await Promise.all(runs.map((r) => batch.add(flowOf(r))));
      await batch.add(flowOf('r-01jbatch00000000000000000d'));
      expect(calls).toEqual([3, 1]);
      for (const r of [...runs, 'r-01jbatch00000000000000000d']) {
        const ingest = await Job.fromId(queue, stepJobId(r, 'ingest'));
        expect(ingest?.data).toMatchObject({ runId: r, step: 'ingest' });
      }
    } finally {
      await Promise.all([queue.close(), producer.close()]);
    }
  });

  it('a failed call fails every submission it carried with its error', async () => {
    const refused = new Error('Redis refused the transaction');
    const batch = new FlowBatch(async () => {
      throw refused;
    });
    const results = await Promise.allSettled([
      batch.add(flowOf('r-01jbatch00000000000000000e')),
      batch.add(flowOf('r-01jbatch00000000000000000f')),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: refused },
      { status: 'rejected', reason: refused },
    ]);
  });
});
