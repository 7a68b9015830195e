import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { checkpointRef, openStack, runPipeline, type StackConfig } from '@myelin/pipeline';
import { startWorker } from './start-worker.js';
import { queuedStacks } from './testing/queued-stacks.js';

const examples = fileURLToPath(new URL('../../../examples/penguins/', import.meta.url));
const stacks = queuedStacks('myelin-queued-');
const stackConfig = (): StackConfig => stacks.config();

function penguins(name: string, epochs: number, extra = ''): ReturnType<typeof parseSpec> {
  return parseSpec(
    `apiVersion: myelin/v1
name: ${name}
data: { source: npm:vega-datasets/data/penguins.json, target: Species }
model: { layers: [ { dense: { units: 8, activation: relu } } ] }
train: { epochs: ${epochs}, batchSize: 32, checkpointEvery: 1, seed: 3, optimizer: { name: adam, learningRate: 0.01 }${extra} }
evaluate: { gates: { accuracy: { min: 0.3 } } }
register: { model: ${name}, aliases: [staging] }
`,
    join(examples, `${name}.yaml`),
  );
}

const quiet = () => undefined;
const HANDOVER_EPOCHS = 120;

describe('queued runs: BullmqExecutor + worker on a spawned redis-server', () => {
  it('runs penguins to completion through sandboxed workers with the records of the in-process path', async () => {
    const config = stackConfig();
    const worker = await startWorker({
      queues: ['cpu'],
      concurrency: 1,
      gpus: 0,
      stack: config,
      log: quiet,
      metricsPort: 0,
    });
    const stack = await openStack({ config });
    try {
      expect(stack.executor.name).toBe('bullmq');
      const epochs: number[] = [];
      const summary = await runPipeline(penguins('queued', 4), stack, {
        onEvent: (e) => {
          if (e.type === 'epoch') epochs.push(e.epoch);
        },
      });
      expect(summary.error).toBeNull();
      expect(summary.status).toBe('succeeded');
      expect(summary.model).toMatchObject({ name: 'queued', version: 1, aliases: ['staging'] });
      expect(summary.steps.map((s) => [s.name, s.status])).toEqual([
        ['ingest', 'succeeded'],
        ['validate', 'succeeded'],
        ['preprocess', 'succeeded'],
        ['train', 'succeeded'],
        ['evaluate', 'succeeded'],
        ['register', 'succeeded'],
      ]);
      expect(epochs).toEqual([1, 2, 3, 4]);
      const run = await stack.meta.getRun(summary.runId);
      expect(run?.status).toBe('succeeded');
      expect(run?.summary).toMatchObject({ status: 'succeeded', model: { version: 1 } });
      // the summary the worker recorded is the one runPipeline returns (it is not written twice)
      expect(run?.summary).toEqual(JSON.parse(JSON.stringify(summary)));
      expect((await stack.meta.listEpochs(summary.runId, 'train')).map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
      // the worker's Prometheus endpoint
      const text = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
      expect(text).toMatch(
        /myelin_worker_step_jobs_total\{queue="myelin-cpu",step="train",outcome="succeeded"\} 1/,
      );
      expect(text).toMatch(/myelin_worker_epoch_duration_seconds_count\{step="train"\} 4/);
      expect(text).toMatch(/myelin_queue_jobs\{queue="myelin-cpu",state="completed"\} 6/);
      expect(text).toMatch(/myelin_worker_process_resident_memory_bytes/);
    } finally {
      await stack.close();
      await worker.close();
    }
  });

  it('cancel stops training at an epoch boundary with a checkpoint; the run ends cancelled, the rest skipped', async () => {
    const config = stackConfig();
    const worker = await startWorker({ queues: ['cpu'], concurrency: 1, gpus: 0, stack: config, log: quiet });
    const stack = await openStack({ config });
    try {
      let runId = '';
      let asked = false;
      const summary = await runPipeline(penguins('cancelme', 400), stack, {
        onRunCreated: (id) => (runId = id),
        onEvent: (e) => {
          if (e.type === 'epoch' && e.epoch >= 2 && !asked) {
            asked = true;
            void stack.executor.cancel(runId);
          }
        },
      });
      expect(summary.status).toBe('cancelled');
      expect(summary.error?.code).toBe('MYELIN_ERR_RUN_CANCELLED');
      expect(await stack.store.getRef(checkpointRef(summary.runId))).toMatch(/^sha256\//);
      const run = await stack.meta.getRun(summary.runId);
      expect(run?.status).toBe('cancelled');
      expect(run?.summary).toEqual(JSON.parse(JSON.stringify(summary)));
      expect(run?.steps.find((s) => s.name === 'train')?.status).toBe('failed');
      expect(run?.steps.find((s) => s.name === 'evaluate')?.status).toBe('skipped');
      expect(run?.steps.find((s) => s.name === 'register')?.status).toBe('skipped');
      expect(summary.steps.find((s) => s.name === 'train')?.status).toBe('failed');
    } finally {
      await stack.close();
      await worker.close();
    }
  });

  it('a worker shut down mid-training hands the job back; another worker resumes it from the checkpoint', async () => {
    const config = stackConfig();
    const lines: string[] = [];
    const first = await startWorker({
      queues: ['cpu'],
      concurrency: 1,
      gpus: 0,
      stack: config,
      log: (l) => lines.push(l),
      name: 'first',
    });
    const stack = await openStack({ config });
    let second: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      let closing: Promise<void> | undefined;
      // enough epochs that the handover lands mid-training even when events reach the test late on a loaded machine
      const summary = await runPipeline(penguins('handover', HANDOVER_EPOCHS), stack, {
        onEvent: (e) => {
          if (e.type === 'epoch' && e.epoch >= 3 && !closing) {
            closing = first.close().then(async () => {
              second = await startWorker({
                queues: ['cpu'],
                concurrency: 1,
                gpus: 0,
                stack: config,
                log: (l) => lines.push(l),
                name: 'second',
              });
            });
          }
        },
      });
      await closing;
      expect(summary.status, JSON.stringify(summary.error)).toBe('succeeded');
      const run = await stack.meta.getRun(summary.runId);
      const train = run!.steps.find((s) => s.name === 'train')!;
      expect(train.attempt).toBe(2);
      expect(train.outputs?.resumedFromEpoch).toBeGreaterThan(0);
      expect(train.logs).toMatch(/worker shutting down/);
      expect(lines.some((l) => l.startsWith('[second') && / start train /.test(l))).toBe(true);
      expect((await stack.meta.listEpochs(summary.runId, 'train')).map((e) => e.epoch)).toEqual(
        Array.from({ length: HANDOVER_EPOCHS }, (_, i) => i + 1),
      );
      expect((await stack.meta.getModel('handover'))?.versions).toHaveLength(1);
    } finally {
      await stack.close();
      await first.close();
      await second?.close();
    }
  });
});
