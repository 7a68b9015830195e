import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job, Queue } from 'bullmq';
import { parseSpec } from '@myelin/spec';
import {
  bullmqQueueName,
  openStack,
  runPipeline,
  trialJobId,
  type StackConfig,
  type Stack,
  type TrialSummary,
} from '@myelin/pipeline';
import { startRedisServer, type TestRedisServer } from '@myelin/pipeline/testing';
import { startWorker } from './start-worker.js';

const examples = fileURLToPath(new URL('../../../examples/penguins/', import.meta.url));
const dirs: string[] = [];
let redis: TestRedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function prefixOf(config: StackConfig): string {
  return config.executor.kind === 'bullmq' ? config.executor.prefix : 'myelin';
}

function stackConfig(): StackConfig {
  const home = mkdtempSync(join(tmpdir(), 'myelin-tune-queue-'));
  dirs.push(home);
  return {
    executor: { kind: 'bullmq', url: redis.url, prefix: `t-${randomUUID()}` },
    artifacts: { kind: 'fs', root: join(home, 'artifacts') },
    database: { kind: 'sqlite', dir: home },
    file: null,
  };
}

/** A penguins search: `tune` is the body of the `tune:` section. */
function tuned(name: string, epochs: number, tune: string, units = 8): ReturnType<typeof parseSpec> {
  return parseSpec(
    `apiVersion: myelin/v1
name: ${name}
data: { source: npm:vega-datasets/data/penguins.json, target: Species }
model: { layers: [ { dense: { units: ${units}, activation: relu } } ] }
train: { epochs: ${epochs}, batchSize: 8, checkpointEvery: 1, seed: 3, optimizer: { name: adam, learningRate: 0.01 } }
evaluate: { gates: { accuracy: { min: 0.3 } } }
register: { model: ${name}, aliases: [staging] }
tune:
${tune}
  space:
    train.optimizer.learningRate: { logUniform: [0.001, 0.05] }
    model.layers[0].units: { int: [4, 16] }
`,
    join(examples, `${name}.yaml`),
  );
}

interface TuneOutputs {
  bestTrial: number;
  bestMetric: number;
}

/** The trial jobs of a run, as BullMQ holds them: state, worker, attempts. */
async function trialJobs(
  prefix: string,
  runId: string,
  n: number,
): Promise<{ state: string; processedBy: string | undefined; stalled: number }[]> {
  const queue = new Queue(bullmqQueueName('cpu'), { connection: { url: redis.url }, prefix });
  try {
    const jobs = [];
    for (let i = 0; i < n; i++) {
      const job = await Job.fromId(queue, trialJobId(runId, i));
      if (job)
        jobs.push({ state: await job.getState(), processedBy: job.processedBy, stalled: job.stalledCounter });
    }
    return jobs;
  } finally {
    await queue.close();
  }
}

async function trainOutputs(stack: Stack, runId: string) {
  const run = await stack.meta.getRun(runId);
  const train = run!.steps.find((s) => s.name === 'train')!;
  return {
    train,
    trials: train.outputs!['trials'] as TrialSummary[],
    tune: train.outputs!['tune'] as TuneOutputs,
  };
}

const quiet = () => undefined;

describe('tune trials as queue jobs (spawned redis-server)', () => {
  it('one worker with concurrency 1 runs every trial and the step (the train job waits without its slot)', async () => {
    const config = stackConfig();
    const worker = await startWorker({
      queues: ['cpu'],
      concurrency: 1,
      gpus: 0,
      stack: config,
      log: quiet,
      sandbox: false,
      name: 'solo',
    });
    const stack = await openStack({ config });
    try {
      const summary = await runPipeline(
        tuned(
          'tune-solo',
          8,
          '  strategy: asha\n  maxTrials: 4\n  parallelism: 4\n  seed: 2\n  asha: { minEpochs: 2, reductionFactor: 2 }',
        ),
        stack,
        { noCache: true },
      );
      expect(summary.status, JSON.stringify(summary.error)).toBe('succeeded');
      const { train, trials, tune } = await trainOutputs(stack, summary.runId);
      expect(trials.map((t) => t.index)).toEqual([0, 1, 2, 3]);
      // the rungs were shared through Redis: with 4 trials and factor 2 at least one is pruned at epoch 2 or 4
      expect(trials.some((t) => t.status === 'pruned')).toBe(true);
      const finished = trials.filter((t) => t.status === 'succeeded');
      expect(tune.bestMetric).toBe(Math.max(...finished.map((t) => t.metric!)));
      expect(train.logs).toMatch(/4 trials enqueued as jobs on myelin-cpu/);
      const jobs = await trialJobs(prefixOf(config), summary.runId, 4);
      expect(jobs).toHaveLength(4);
      for (const job of jobs) expect(job).toMatchObject({ state: 'completed', processedBy: 'solo' });
      expect((await stack.meta.getModel('tune-solo'))?.versions).toHaveLength(1);
    } finally {
      await stack.close();
      await worker.close();
    }
  });
});
