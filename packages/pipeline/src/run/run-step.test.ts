import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArtifactStore } from '@myelin/artifacts';
import { MyelinError } from '@myelin/errors';
import { openEmbeddedMetadataStore, type MetadataStore } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { compilePlan } from '../plan/compile-plan.js';
import type { StepDefinition } from '../steps/step-definition.js';
import { codeVersion } from './code-version.js';
import { runStep } from './run-step.js';
import type { RunEvent } from './step-context.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-run-step-'));
let meta: MetadataStore;
beforeAll(async () => {
  meta = await openEmbeddedMetadataStore({ dir });
});
afterAll(async () => {
  await meta.close();
  rmSync(dir, { recursive: true, force: true });
});

const loaded = parseSpec(
  'apiVersion: myelin/v1\nname: run-step\ndata: { source: d.csv, target: y }\nmodel: { layers: [ { dense: { units: 1 } } ] }\n',
  join(dir, 'run-step.yaml'),
);
const plan = compilePlan(loaded.spec);
const ingest = plan.steps.find((s) => s.name === 'ingest')!;

/** `meta` with its startStep replaced by `startStep`; every other method goes to `meta`. */
function withStartStep(startStep: MetadataStore['startStep']): MetadataStore {
  return new Proxy(meta, {
    get(target, prop) {
      if (prop === 'startStep') return startStep;
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

async function runIngest(store: MetadataStore, run: StepDefinition['run'], events: RunEvent[]) {
  const created = await meta.createRun({
    pipeline: 'run-step',
    trigger: 'cli',
    specHash: loaded.hash,
    specText: loaded.text,
  });
  const rec = runStep(
    {
      runId: created.id,
      plan,
      loaded,
      store: new FsArtifactStore({ root: join(dir, 'artifacts') }),
      meta: store,
      options: { allowOutside: false, noCache: true },
      codeVersion: codeVersion(),
      onEvent: (e) => events.push(e),
      shouldStop: () => false,
      steps: { ingest: { name: 'ingest', cacheKey: async () => null, run } },
    },
    ingest,
    {},
  );
  return { runId: created.id, rec };
}

describe('runStep: the start record is written while the step runs', () => {
  it('the step runs before its start write has answered, and the outcome is written only after it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const slowStart: MetadataStore['startStep'] = async (runId, name) => {
      await gate;
      const rec = await meta.startStep(runId, name);
      order.push('start recorded');
      return rec;
    };
    const events: RunEvent[] = [];
    const { runId, rec } = await runIngest(
      withStartStep(slowStart),
      async () => {
        order.push('step ran');
        release();
        return { rows: 1 };
      },
      events,
    );
    expect((await rec).status).toBe('succeeded');
    expect(order).toEqual(['step ran', 'start recorded']);
    const step = (await meta.getRun(runId))?.steps.find((s) => s.name === 'ingest');
    expect(step?.status).toBe('succeeded');
    expect(step?.startedAt).not.toBeNull();
    expect(step?.outputs).toEqual({ rows: 1 });
    expect(events.filter((e) => e.type === 'step').map((e) => e.status)).toEqual(['running', 'succeeded']);
  });

  it('a failing start write fails runStep with its error, and no outcome is written', async () => {
    const fenced = new MyelinError('MYELIN_ERR_QUEUE_FENCED', 'step job j is no longer held by this worker');
    const events: RunEvent[] = [];
    const { runId, rec } = await runIngest(
      withStartStep(async () => {
        throw fenced;
      }),
      async () => ({ rows: 1 }),
      events,
    );
    await expect(rec).rejects.toBe(fenced);
    expect((await meta.getRun(runId))?.steps.find((s) => s.name === 'ingest')).toBeUndefined();
    expect(events.filter((e) => e.type === 'step').map((e) => e.status)).toEqual(['running', 'failed']);
  });

  it('a failing start write wins over the step failing too (the step error is not recorded)', async () => {
    const startError = new Error('the metadata store went away');
    const events: RunEvent[] = [];
    const { runId, rec } = await runIngest(
      withStartStep(async () => {
        throw startError;
      }),
      async () => {
        throw new Error('the step failed');
      },
      events,
    );
    await expect(rec).rejects.toBe(startError);
    expect((await meta.getRun(runId))?.steps.find((s) => s.name === 'ingest')).toBeUndefined();
  });
});
