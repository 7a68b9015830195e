import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { runPipeline } from '../run/run-pipeline.js';
import { openEmbeddedStack } from '../stack/embedded-stack.js';
import type { Stack } from '../stack/stack.js';
import { RetrainController, DRIFT_EVENT } from './retrain-controller.js';
import type { RetrainDeployment } from './retrain-controller-options.js';
import { RETRAIN_EVENTS } from './retrain-events.js';

const examples = fileURLToPath(new URL('../../../../examples/penguins/', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'myelin-retrain-'));

const text = `apiVersion: myelin/v1
name: retrain-me
data: { source: npm:vega-datasets/data/penguins.json, target: Species }
model: { layers: [ { dense: { units: 8, activation: relu } } ] }
train: { epochs: 3, batchSize: 32, seed: 3, optimizer: { name: adam, learningRate: 0.01 } }
evaluate: { gates: { accuracy: { min: 0.1 } } }
register: { model: retrain-me }
deploy: { strategy: canary, canary: { traffic: 0.2, duration: 30s } }
monitor:
  retrain: { onDrift: true, schedule: "0 3 * * *" }
`;

let stack: Stack;
beforeAll(async () => {
  stack = await openEmbeddedStack(home);
});
afterAll(async () => {
  await stack.close();
  rmSync(home, { recursive: true, force: true });
});

const drift = (model: string, version: number, feature: string) => ({
  model,
  version,
  feature,
  metric: 'ks',
  score: 0.9,
  threshold: 0.2,
  window: 100,
});

describe('RetrainController (embedded stack)', () => {
  it('drift retrains once per episode, links the parent, rolls out as deploy: says, and never loops', async () => {
    const loaded = parseSpec(text, join(examples, 'retrain-me.yaml'));
    const first = await runPipeline(loaded, stack, { noCache: true });
    expect(first.model?.version).toBe(1);
    const deployed: RetrainDeployment[] = [];
    const lines: string[] = [];
    const retrain = await RetrainController.start({
      stack,
      pollMs: 60_000,
      cooldownMs: 0,
      deploy: async (d) => {
        deployed.push(d);
        return `${d.model}@${d.version} is the ${d.deploy.strategy} candidate`;
      },
      log: (l) => lines.push(l),
    });
    try {
      // two features cross in the same window: one drift episode of version 1; and a model no pipeline made
      await stack.meta.appendEvent(first.runId, DRIFT_EVENT, drift('retrain-me', 1, 'Island'));
      await stack.meta.appendEvent(first.runId, DRIFT_EVENT, drift('retrain-me', 1, 'Sex'));
      await stack.meta.appendEvent(first.runId, DRIFT_EVENT, drift('ghost', 1, 'x'));
      expect(await retrain.pollOnce()).toBe(3);
      const triggers = await retrain.store.listTriggers();
      expect(triggers.map((t) => t.decision)).toEqual(['skipped', 'skipped', 'started']);
      expect(triggers[0]?.reason).toMatch(/ghost@1 has no pipeline run recorded/);
      expect(triggers[1]?.reason).toMatch(/episode of retrain-me@1 already started run r-/);
      const runId = triggers[2]?.runId as string;
      await Promise.all(retrain.inflight.values());

      const run = await stack.meta.getRun(runId);
      expect(run).toMatchObject({ trigger: 'drift', parentRunId: first.runId, status: 'succeeded' });
      expect(deployed).toEqual([
        expect.objectContaining({
          model: 'retrain-me',
          version: 2,
          runId,
          deploy: expect.objectContaining({ strategy: 'canary' }),
        }),
      ]);
      const events = await stack.meta.listEvents({ runId });
      const chain = events.filter((e) => e.type.startsWith('retrain.'));
      expect(chain.map((e) => e.type)).toEqual([RETRAIN_EVENTS.started, RETRAIN_EVENTS.deployed]);
      expect(chain[0]?.payload).toMatchObject({
        trigger: 'drift',
        feature: 'Island',
        parentRunId: first.runId,
      });
      expect(chain[1]?.payload).toMatchObject({ outcome: 'candidate', version: 2 });

      // the retrained version drifts too: no second retraining
      await stack.meta.appendEvent(runId, DRIFT_EVENT, drift('retrain-me', 2, 'Island'));
      await retrain.pollOnce();
      const [latest] = await retrain.store.listTriggers({ limit: 1 });
      expect(latest).toMatchObject({ version: 2, decision: 'skipped' });
      expect(latest?.reason).toMatch(/loop guard/);
      expect(retrain.inflight.size).toBe(0);
    } finally {
      await retrain.close();
    }
  });

  it('a second controller (another API process) never handles an event the first one took', async () => {
    const a = await RetrainController.start({ stack, pollMs: 60_000 });
    const b = await RetrainController.start({ stack, pollMs: 60_000 });
    try {
      const { runs } = await stack.meta.listRuns({ pipeline: 'retrain-me', limit: 10 });
      const cli = runs.find((r) => r.trigger === 'cli')!;
      const before = (await a.store.listTriggers({ limit: 1000 })).length;
      const ev = await stack.meta.appendEvent(
        cli.id,
        DRIFT_EVENT,
        drift('retrain-me', 1, 'Beak Length (mm)'),
      );
      await Promise.all([a.pollOnce(), b.pollOnce()]);
      const after = await a.store.listTriggers({ limit: 1000 });
      expect(after.length - before).toBe(1);
      expect(after.find((t) => t.eventId === ev.id)?.reason).toMatch(/already started/);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('registers a submitted schedule, fires it as a scheduled run, and removes it with the pipeline', async () => {
    const retrain = await RetrainController.start({ stack, pollMs: 60_000 });
    try {
      const loaded = parseSpec(text, join(examples, 'retrain-me.yaml'));
      const s = await retrain.registerSchedule(loaded, { allowOutside: false, noCache: false });
      expect(s).toMatchObject({ pipeline: 'retrain-me', cron: '0 3 * * *', timezone: 'UTC' });
      const runId = await retrain.fireSchedule('retrain-me');
      await Promise.all(retrain.inflight.values());
      expect(await stack.meta.getRun(runId!)).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
      const without = parseSpec(
        text.replace(/, schedule: "0 3 \* \* \*"/, ''),
        join(examples, 'retrain-me.yaml'),
      );
      expect(await retrain.registerSchedule(without, { allowOutside: false, noCache: false })).toBeNull();
      expect(await retrain.store.listSchedules()).toEqual([]);
      expect(await retrain.fireSchedule('retrain-me')).toBeNull();
    } finally {
      await retrain.close();
    }
  });
});
