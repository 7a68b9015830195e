import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { openEmbeddedStack } from '../stack/embedded-stack.js';
import { runPipeline } from '../run/run-pipeline.js';
import { trialRecordRef } from './run-trial.js';
import type { TrialSummary } from './run-tune.js';

const examples = fileURLToPath(new URL('../../../../examples/penguins/', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'myelin-tune-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const spec = (name: string, tune: string, epochs = 6) => `apiVersion: myelin/v1
name: ${name}
data: { source: npm:vega-datasets/data/penguins.json, target: Species }
model: { layers: [ { dense: { units: 8, activation: relu } } ] }
train: { epochs: ${epochs}, batchSize: 32, seed: 3, optimizer: { name: adam, learningRate: 0.01 } }
evaluate: { gates: { accuracy: { min: 0.3 } } }
tune:
${tune}
`;

const SPACE = `  space:
    train.optimizer.learningRate: { logUniform: [0.0005, 0.05] }
    model.layers[0].units: { int: [2, 16] }`;

describe('tune (embedded stack, in-process trials)', () => {
  it('runs the trials in parallel lanes and evaluates and registers the best one (ties go to the lower validation loss)', async () => {
    const stack = await openEmbeddedStack(home);
    try {
      const loaded = parseSpec(
        spec('tune-random', `  strategy: random\n  maxTrials: 4\n  parallelism: 2\n  seed: 1\n${SPACE}`),
        join(examples, 'tune-random.yaml'),
      );
      const summary = await runPipeline(loaded, stack, { noCache: true });
      expect(summary.status).toBe('succeeded');
      const run = await stack.meta.getRun(summary.runId);
      const train = run!.steps.find((s) => s.name === 'train')!.outputs!;
      const trials = train['trials'] as TrialSummary[];
      expect(trials.map((t) => t.index)).toEqual([0, 1, 2, 3]);
      for (const t of trials) {
        expect(t.status).toBe('succeeded');
        expect(t.metric).toBeGreaterThanOrEqual(0);
        expect(t.curve).toHaveLength(6);
        expect(t.params['model.layers[0].units']).toBeGreaterThanOrEqual(2);
      }
      const tune = train['tune'] as { bestTrial: number; bestMetric: number; metric: string };
      expect(tune.metric).toBe('accuracy');
      expect(tune.bestMetric).toBe(Math.max(...trials.map((t) => t.metric!)));
      const lowest = (t: TrialSummary) => Math.min(...t.curve);
      const tied = trials.filter((t) => t.metric === tune.bestMetric);
      expect(lowest(trials[tune.bestTrial]!)).toBe(Math.min(...tied.map(lowest)));
      // the best trial's record holds the model that the train step passed on
      const bestRef = await stack.store.getRef(trialRecordRef(summary.runId, tune.bestTrial));
      const best = JSON.parse(new TextDecoder().decode(await stack.store.getBytes(bestRef!))) as {
        outputs: { model: string };
      };
      expect(train['model']).toBe(best.outputs.model);
      expect(summary.model).not.toBeNull();
    } finally {
      await stack.close();
    }
  });

  it('asha stops the trials outside the best half at the rungs', async () => {
    const stack = await openEmbeddedStack(home);
    try {
      const tune = `  strategy: asha\n  maxTrials: 6\n  parallelism: 1\n  seed: 2\n  asha: { minEpochs: 2, reductionFactor: 2 }\n${SPACE}`;
      const summary = await runPipeline(
        parseSpec(spec('tune-asha', tune, 8), join(examples, 'tune-asha.yaml')),
        stack,
        { noCache: true },
      );
      expect(summary.status).toBe('succeeded');
      const run = await stack.meta.getRun(summary.runId);
      const trials = run!.steps.find((s) => s.name === 'train')!.outputs!['trials'] as TrialSummary[];
      const pruned = trials.filter((t) => t.status === 'pruned');
      expect(pruned.length).toBeGreaterThan(0);
      for (const t of pruned) {
        expect([2, 4]).toContain(t.rung);
        expect(t.epochsRun).toBe(t.rung);
        expect(t.metric).toBeNull();
      }
      expect(trials.filter((t) => t.status === 'succeeded').every((t) => t.epochsRun === 8)).toBe(true);
    } finally {
      await stack.close();
    }
  });

  it('a run cancelled mid-way stops its trials and registers nothing', async () => {
    const stack = await openEmbeddedStack(home);
    try {
      const loaded = parseSpec(
        spec('tune-cancel', `  maxTrials: 6\n  parallelism: 2\n${SPACE}`, 30),
        join(examples, 'tune-cancel.yaml'),
      );
      let trialsDone = 0;
      const summary = await runPipeline(loaded, stack, {
        noCache: true,
        onEvent: (e) => {
          if (e.type === 'log' && /^trial \d+\/6/.test(e.message)) trialsDone++;
        },
        shouldStop: () => trialsDone >= 1,
      });
      expect(summary.status).toBe('cancelled');
      expect(summary.error?.code).toBe('MYELIN_ERR_RUN_CANCELLED');
      expect(summary.model).toBeNull();
      expect(await stack.meta.getModel('tune-cancel')).toBeNull();
      // trials that had not started never ran: their records do not exist
      expect(await stack.store.getRef(trialRecordRef(summary.runId, 5))).toBeNull();
    } finally {
      await stack.close();
    }
  });
});
