import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Job, Queue } from 'bullmq';
import { parseSpec } from '@myelin/spec';
import {
  bullmqQueueName,
  openStack,
  runPipeline,
  trialCheckpointRef,
  trialJobId,
  trialRecordRef,
  type StackConfig,
  type Stack,
  type TrialSummary,
} from '@myelin/pipeline';
import { startWorker } from '../start-worker.js';
import { queuedStacks } from '../testing/queued-stacks.js';

const examples = fileURLToPath(new URL('../../../../examples/penguins/', import.meta.url));
const stacks = queuedStacks('myelin-tune-queue-');
const stackConfig = (): StackConfig => stacks.config();

function prefixOf(config: StackConfig): string {
  return config.executor.kind === 'bullmq' ? config.executor.prefix : 'myelin';
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
  const queue = new Queue(bullmqQueueName('cpu'), { connection: { url: stacks.redisUrl() }, prefix });
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
  const outputs: Record<string, unknown> = train.outputs ?? {};
  return { train, trials: outputs['trials'] as TrialSummary[], tune: outputs['tune'] as TuneOutputs };
}

const quiet = () => undefined;

/** One in-process worker with concurrency 1 (the train job must wait for its trials without its slot). */
const soloWorker = (config: StackConfig) =>
  startWorker({
    queues: ['cpu'],
    concurrency: 1,
    gpus: 0,
    stack: config,
    log: quiet,
    sandbox: false,
    name: 'solo',
  });

// a `myelin worker` stand-in as its own process (sandboxed steps, short locks), so a test can SIGKILL it
const workerScript = join(mkdtempSync(join(tmpdir(), 'myelin-tune-worker-')), 'worker.mjs');
writeFileSync(
  workerScript,
  `const { startWorker } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', 'start-worker.ts')).href)});
const worker = await startWorker({
  queues: ['cpu'], concurrency: 1, gpus: 0, threads: 1, name: process.env.TEST_WORKER_NAME,
  stack: JSON.parse(process.env.TEST_STACK), lockDurationMs: 3000, stalledIntervalMs: 1000, reconcile: false,
  log: (line) => console.log(line),
});
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
`,
);

interface WorkerProcess {
  name: string;
  child: ChildProcess;
  out: string;
  exited: Promise<unknown>;
}

function spawnWorker(name: string, config: StackConfig): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    env: { ...process.env, TEST_WORKER_NAME: name, TEST_STACK: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w: WorkerProcess = { name, child, out: '', exited: new Promise((r) => child.once('exit', r)) };
  child.stdout!.on('data', (d: Buffer) => (w.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (w.out += d.toString()));
  return w;
}

async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await w.exited;
}

/** Waits (bounded) until `check` holds; throws naming `what` when it never does. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe('tune trials as queue jobs (spawned redis-server)', () => {
  it('one worker with concurrency 1 runs every trial and the step (the train job waits without its slot)', async () => {
    const config = stackConfig();
    const worker = await soloWorker(config);
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

  it("two worker processes share the trials; the step passes the best one on; a SIGKILLed worker's trial resumes from its checkpoint", async () => {
    const config = stackConfig();
    const prefix = prefixOf(config);
    const a = spawnWorker('wa', config);
    const b = spawnWorker('wb', config);
    const stack = await openStack({ config });
    try {
      let runId = '';
      const running = runPipeline(
        tuned('tune-pair', 150, '  strategy: random\n  maxTrials: 4\n  parallelism: 4\n  seed: 5', 32),
        stack,
        { noCache: true, onRunCreated: (id) => (runId = id) },
      );
      // trials 0 and 1 run first, one on each worker; kill the worker of trial 2 once it has a checkpoint
      let killed: WorkerProcess | undefined;
      let victim = -1;
      await until('a later trial training with a checkpoint', async () => {
        if (!runId) return false;
        const jobs = await trialJobs(prefix, runId, 4);
        for (const i of [2, 3]) {
          const job = jobs[i];
          if (job?.state !== 'active' || !(await stack.store.getRef(trialCheckpointRef(runId, i)))) continue;
          killed = job.processedBy === 'wa' ? a : job.processedBy === 'wb' ? b : undefined;
          victim = i;
          return killed !== undefined;
        }
        return false;
      });
      const before = await trialJobs(prefix, runId, 4);
      killed!.child.kill('SIGKILL');
      const summary = await running;
      expect(summary.status, JSON.stringify(summary.error)).toBe('succeeded');
      // both workers ran trials: the first two went one to each
      expect(new Set([before[0]!.processedBy, before[1]!.processedBy])).toEqual(new Set(['wa', 'wb']));
      const after = await trialJobs(prefix, runId, 4);
      const survivor = killed === a ? 'wb' : 'wa';
      expect(after[victim]).toMatchObject({ state: 'completed', processedBy: survivor });
      expect(after[victim]!.stalled).toBeGreaterThanOrEqual(1);
      const { train, trials, tune } = await trainOutputs(stack, summary.runId);
      expect(train.logs).toMatch(
        new RegExp(`trial ${victim + 1}: resuming this trial from its checkpoint of epoch [1-9]`),
      );
      expect(trials.every((t) => t.status === 'succeeded' && t.curve.length === 150)).toBe(true);
      // the best trial's model is what the step passed on (and evaluate and register saw)
      expect(tune.bestMetric).toBe(Math.max(...trials.map((t) => t.metric!)));
      const ref = await stack.store.getRef(trialRecordRef(summary.runId, tune.bestTrial));
      const best = JSON.parse(new TextDecoder().decode(await stack.store.getBytes(ref!))) as {
        outputs: { model: string; resumedFromEpoch: number };
      };
      expect(train.outputs!['model']).toBe(best.outputs.model);
      const resumed = JSON.parse(
        new TextDecoder().decode(
          await stack.store.getBytes((await stack.store.getRef(trialRecordRef(summary.runId, victim)))!),
        ),
      ) as { outputs: { resumedFromEpoch: number } };
      expect(resumed.outputs.resumedFromEpoch).toBeGreaterThan(0);
      expect((await stack.meta.getModel('tune-pair'))?.versions).toHaveLength(1);
    } finally {
      await stack.close();
      await Promise.all([stopWorker(a), stopWorker(b)]);
    }
  });

  it('a cancel stops the running trials at their next epoch, drops the waiting ones, fails the step and registers nothing', async () => {
    const config = stackConfig();
    const prefix = prefixOf(config);
    const worker = await soloWorker(config);
    const stack = await openStack({ config });
    try {
      let runId = '';
      let asked = false;
      const running = runPipeline(
        tuned('tune-cancel', 400, '  strategy: random\n  maxTrials: 4\n  parallelism: 4\n  seed: 5'),
        stack,
        { noCache: true, onRunCreated: (id) => (runId = id) },
      );
      await until('the first trial training with a checkpoint', async () => {
        if (!runId || asked) return asked;
        if (!(await stack.store.getRef(trialCheckpointRef(runId, 0)))) return false;
        asked = true;
        await stack.executor.cancel(runId);
        return true;
      });
      const summary = await running;
      expect(summary.status).toBe('cancelled');
      expect(summary.error?.code).toBe('MYELIN_ERR_RUN_CANCELLED');
      const run = await stack.meta.getRun(summary.runId);
      expect(run?.status).toBe('cancelled');
      const train = run!.steps.find((s) => s.name === 'train')!;
      expect(train.status).toBe('failed');
      expect(train.error?.code).toBe('MYELIN_ERR_RUN_CANCELLED');
      expect(run!.steps.find((s) => s.name === 'register')?.status).toBe('skipped');
      expect(await stack.meta.getModel('tune-cancel')).toBeNull();
      // no trial trained to its end; the ones that had not started were dropped (no checkpoint)
      for (const i of [0, 1, 2, 3])
        expect(await stack.store.getRef(trialRecordRef(summary.runId, i))).toBeNull();
      expect(await stack.store.getRef(trialCheckpointRef(summary.runId, 3))).toBeNull();
      const jobs = await trialJobs(prefix, summary.runId, 4);
      for (const job of jobs) expect(job.state).toBe('completed');
    } finally {
      await stack.close();
      await worker.close();
    }
  });
});
