import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { MyelinError } from '@myelin/errors';
import {
  openStack,
  runPipeline,
  type StackConfig,
  type StepDefinition,
  type StepName,
} from '@myelin/pipeline';
import { startWorker } from './start-worker.js';
import { queuedStacks } from './testing/queued-stacks.js';

const stacks = queuedStacks('myelin-retry-');
const config = (): StackConfig => stacks.config();

const spec = (name: string) =>
  parseSpec(
    `apiVersion: myelin/v1
name: ${name}
data: { source: data.csv, target: y }
model: { layers: [ { dense: { units: 2 } } ] }
train: { retry: { attempts: 3, backoffMs: 10 } }
`,
    join(tmpdir(), `${name}.yaml`),
  );

/** No-op steps (the queue machinery under test, not the ML), with one step replaced. */
function steps(over: Partial<Record<StepName, StepDefinition['run']>>): Record<StepName, StepDefinition> {
  const step = (name: StepName): StepDefinition => ({
    name,
    cacheKey: async () => null,
    run: over[name] ?? (async () => ({ ok: name })),
  });
  return {
    ingest: step('ingest'),
    validate: step('validate'),
    preprocess: step('preprocess'),
    train: step('train'),
    evaluate: step('evaluate'),
    register: step('register'),
  };
}

describe('retries per step on the queue', () => {
  it('retries a failing train step with backoff per train.retry and completes the run', async () => {
    const cfg = config();
    let tries = 0;
    const worker = await startWorker({
      queues: ['cpu'],
      concurrency: 2,
      gpus: 0,
      stack: cfg,
      sandbox: false,
      log: () => undefined,
      steps: steps({
        train: async () => {
          tries += 1;
          if (tries < 3) throw new Error(`flaky ${tries}`);
          return { model: 'm' };
        },
      }),
    });
    const stack = await openStack({ config: cfg });
    try {
      const s = await runPipeline(spec('flaky'), stack);
      expect(s.status).toBe('succeeded');
      expect(tries).toBe(3);
      const run = await stack.meta.getRun(s.runId);
      expect(run?.steps.find((x) => x.name === 'train')).toMatchObject({ status: 'succeeded', attempt: 3 });
    } finally {
      await stack.close();
      await worker.close();
    }
  });

  it('the last failed attempt ends the run failed, the rest skipped; a permanent error is not retried', async () => {
    const cfg = config();
    let trains = 0;
    let evals = 0;
    const worker = await startWorker({
      queues: ['cpu'],
      concurrency: 1,
      gpus: 0,
      stack: cfg,
      sandbox: false,
      log: () => undefined,
      steps: steps({
        train: async () => {
          trains += 1;
          throw new Error('always broken');
        },
      }),
    });
    const stack = await openStack({ config: cfg });
    try {
      const s = await runPipeline(spec('broken'), stack);
      expect(s.status).toBe('failed');
      expect(s.error).toMatchObject({ code: 'MYELIN_ERR_INTERNAL', message: 'always broken' });
      expect(trains).toBe(3);
      expect(s.steps.map((x) => x.status)).toEqual([
        'succeeded',
        'succeeded',
        'succeeded',
        'failed',
        'skipped',
        'skipped',
      ]);
      const run = await stack.meta.getRun(s.runId);
      expect(run?.status).toBe('failed');
      // the summary the worker recorded is the one runPipeline returns (it is not written twice)
      expect(run?.summary).toEqual(JSON.parse(JSON.stringify(s)));
    } finally {
      await worker.close();
    }
    const worker2 = await startWorker({
      queues: ['cpu'],
      concurrency: 1,
      gpus: 0,
      stack: cfg,
      sandbox: false,
      log: () => undefined,
      steps: steps({
        evaluate: async () => {
          evals += 1;
          throw new MyelinError('MYELIN_ERR_GATE_FAILED', 'accuracy 0.2 < 0.9');
        },
      }),
    });
    try {
      const s = await runPipeline(spec('gated'), stack);
      expect(s.status).toBe('failed');
      expect(s.exitCode).toBe(1);
      expect(s.error?.code).toBe('MYELIN_ERR_GATE_FAILED');
      expect(evals).toBe(1);
      expect(s.steps.at(-1)).toMatchObject({ name: 'register', status: 'skipped' });
    } finally {
      await stack.close();
      await worker2.close();
    }
  });
});
