import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { openEmbeddedStack } from '../stack/embedded-stack.js';
import { runStepAgain } from '../testing/run-one-step.js';
import { runPipeline } from '../run/run-pipeline.js';
import { trialRecordRef } from './run-trial.js';
import { trainOutputsSchema } from '../steps/step-output-schemas.js';

const examples = fileURLToPath(new URL('../../../../examples/penguins/', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'myelin-tune-resume-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const spec = (name: string) => `apiVersion: myelin/v1
name: ${name}
data: { source: npm:vega-datasets/data/penguins.json, target: Species }
model: { layers: [ { dense: { units: 8, activation: relu } } ] }
train: { epochs: 6, batchSize: 32, seed: 3, optimizer: { name: adam, learningRate: 0.01 } }
evaluate: { gates: { accuracy: { min: 0.3 } } }
tune:
  strategy: random
  maxTrials: 3
  parallelism: 1
  seed: 1
  space:
    train.optimizer.learningRate: { logUniform: [0.0005, 0.05] }
    model.layers[0].units: { int: [2, 16] }
`;

describe('tune resume', () => {
  it('a stopped tune step run again with the same run id reads finished trials back and resumes the interrupted one from its checkpoint; the best is the uninterrupted one', async () => {
    const stack = await openEmbeddedStack(home);
    try {
      const whole = await runPipeline(
        parseSpec(spec('tune-whole'), join(examples, 'tune-whole.yaml')),
        stack,
        {
          noCache: true,
        },
      );
      expect(whole.status).toBe('succeeded');
      const wholeRun = await stack.meta.getRun(whole.runId);
      const expected = trainOutputsSchema.parse(
        wholeRun!.steps.find((s) => s.name === 'train')!.outputs,
      ).tune!;

      const loaded = parseSpec(spec('tune-resume'), join(examples, 'tune-resume.yaml'));
      let trialsDone = 0;
      let polls = 0;
      const stopped = await runPipeline(loaded, stack, {
        noCache: true,
        onEvent: (e) => {
          if (e.type === 'log' && /^trial \d+\/3/.test(e.message)) trialsDone++;
        },
        // stop in the middle of the second trial: the step asks once per epoch
        shouldStop: () => trialsDone >= 1 && ++polls > 3,
      });
      expect(stopped.status).toBe('cancelled');
      const firstRecord = await stack.store.getRef(trialRecordRef(stopped.runId, 0));
      expect(firstRecord).toMatch(/^sha256\//);
      expect(await stack.store.getRef(trialRecordRef(stopped.runId, 1))).toBeNull();

      const notices: string[] = [];
      const rec = await runStepAgain(stack, loaded, stopped.runId, 'train', (e) => {
        if (e.type === 'log' && e.notice) notices.push(e.message);
      });
      expect(rec.status).toBe('succeeded');
      // trial 1 is read back, not trained again: its record is the one stored before the stop
      expect(await stack.store.getRef(trialRecordRef(stopped.runId, 0))).toBe(firstRecord);
      const resumed = notices
        .map((n) => /^resuming this trial from its checkpoint of epoch (\d+)/.exec(n))
        .find((m) => m !== null);
      expect(resumed).toBeDefined();
      const from = Number(resumed![1]);
      expect(from).toBeGreaterThan(0);
      expect(from).toBeLessThan(6);
      const outputs = trainOutputsSchema.parse(rec.outputs);
      const trials = outputs.trials!;
      expect(trials.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(trials[1]!.curve).toHaveLength(6);
      const tune = outputs.tune!;
      expect(tune.bestTrial).toBe(expected.bestTrial);
      expect(tune.bestParams).toEqual(expected.bestParams);
      expect(tune.bestMetric).toBeCloseTo(expected.bestMetric!, 6);
    } finally {
      await stack.close();
    }
  });
});
