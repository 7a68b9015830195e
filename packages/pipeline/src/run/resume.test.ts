import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { openEmbeddedStack } from '../stack/embedded-stack.js';
import { runStepAgain } from '../testing/run-one-step.js';
import { runPipeline } from './run-pipeline.js';
import { checkpointRef } from '../steps/train-step.js';

const examples = fileURLToPath(new URL('../../../../examples/penguins/', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'myelin-resume-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const text = `apiVersion: myelin/v1
name: resume
data: { source: npm:vega-datasets/data/penguins.json, target: Species }
model: { layers: [ { dense: { units: 8, activation: relu } } ] }
train: { epochs: 12, batchSize: 32, checkpointEvery: 2, seed: 3, optimizer: { name: adam, learningRate: 0.01 } }
evaluate: { gates: { accuracy: { min: 0.5 } } }
`;

describe('cancel and resume (embedded stack)', () => {
  it('a stop request ends the run as cancelled with a checkpoint; re-running the train step resumes from it', async () => {
    const loaded = parseSpec(text, join(examples, 'resume.yaml'));
    const stack = await openEmbeddedStack(home);
    try {
      let epochs = 0;
      // the metrics of epoch 5, the last before the stop, are lost (as when the process is killed
      // between the checkpoint and the write): the resumed step records them from the checkpoint
      const lossyMeta = new Proxy(stack.meta, {
        get(target, prop) {
          if (prop === 'recordEpoch') {
            return async (e: Parameters<typeof target.recordEpoch>[0]) =>
              e.epoch === 5 ? undefined : target.recordEpoch(e);
          }
          const v = Reflect.get(target, prop) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const summary = await runPipeline(
        loaded,
        { ...stack, meta: lossyMeta },
        {
          noCache: true,
          onEvent: (e) => {
            if (e.type === 'epoch') epochs = e.epoch;
          },
          shouldStop: () => epochs >= 5,
        },
      );
      expect(summary.status).toBe('cancelled');
      expect(summary.error?.code).toBe('MYELIN_ERR_RUN_CANCELLED');
      expect(summary.model).toBeNull();
      expect(await stack.store.getRef(checkpointRef(summary.runId))).toMatch(/^sha256\//);
      const run = await stack.meta.getRun(summary.runId);
      expect(run?.status).toBe('cancelled');
      expect(run?.steps.find((s) => s.name === 'train')?.status).toBe('failed');
      expect(run?.steps.find((s) => s.name === 'evaluate')?.status).toBe('skipped');
      expect((await stack.meta.listEpochs(summary.runId, 'train')).map((e) => e.epoch)).toEqual([1, 2, 3, 4]);

      // what a retried queue job does: the same run id, the outputs of the steps before
      const seen: number[] = [];
      const notices: string[] = [];
      const rec = await runStepAgain(stack, loaded, summary.runId, 'train', (e) => {
        if (e.type === 'epoch') seen.push(e.epoch);
        if (e.type === 'log' && e.notice) notices.push(e.message);
      });
      expect(rec.status).toBe('succeeded');
      expect(rec.outputs?.resumedFromEpoch).toBeGreaterThan(0);
      // the person watching is told why the step starts in the middle
      expect(notices).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^resuming this run's training from its checkpoint of epoch ${rec.outputs?.resumedFromEpoch as number} .*kept when the step was stopped or its process died`,
          ),
        ),
      );
      expect(seen[0]).toBe((rec.outputs?.resumedFromEpoch as number) + 1);
      expect(seen.at(-1)).toBe(12);
      const epochsRecorded = await stack.meta.listEpochs(summary.runId, 'train');
      expect(epochsRecorded.map((e) => e.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    } finally {
      await stack.close();
    }
  });
});
