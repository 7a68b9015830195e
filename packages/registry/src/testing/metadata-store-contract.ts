import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import type { MetadataStore } from '../metadata-store.js';
import type { NewVersion } from '../metadata-inputs.js';

/** What a contract run needs from the adapter under test. */
export interface MetadataStoreFixture {
  store: MetadataStore;
  /** Closes the store and removes what the fixture created. */
  cleanup: () => Promise<void>;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MyelinError) return e.code;
    throw e;
  }
  return undefined;
}

const spec = {
  pipeline: 'penguins',
  trigger: 'cli' as const,
  specHash: 'spec-1',
  specText: 'apiVersion: myelin/v1\n',
};

function version(over: Partial<NewVersion> = {}): NewVersion {
  return {
    model: 'penguins',
    manifestKey: `sha256/aa/${'1'.repeat(62)}`,
    metrics: { accuracy: 0.9 },
    gates: { accuracy: { passed: true, value: 0.9, bound: '>= 0.8' } },
    runId: 'r-x',
    specHash: 'spec-1',
    dataHash: 'data-1',
    codeVersion: '0.1.0',
    who: 'test',
    ...over,
  };
}

/**
 * The behaviour every `MetadataStore` adapter must show, as vitest `describe`/`it` blocks.
 * Call it with a factory that makes a fresh, empty, migrated store.
 *
 * @example
 * metadataStoreContract('embedded SQLite', async () => {
 *   const dir = await mkdtemp(join(tmpdir(), 'reg-'));
 *   const store = await openEmbeddedMetadataStore({ dir });
 *   return { store, cleanup: async () => { await store.close(); await rm(dir, { recursive: true }); } };
 * });
 */
export function metadataStoreContract(name: string, makeStore: () => Promise<MetadataStoreFixture>): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let fx: MetadataStoreFixture;
    let store: MetadataStore;
    beforeEach(async () => {
      fx = await makeStore();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    describe('runs', () => {
      it('creates a queued run with a sortable id and records its pipeline', async () => {
        const a = await store.createRun(spec);
        const b = await store.createRun({ ...spec, specHash: 'spec-2', trigger: 'api', parentRunId: a.id });
        expect(a.id).toMatch(/^r-[0-9a-z]{26}$/);
        expect(b.id > a.id).toBe(true);
        expect(a).toMatchObject({
          pipeline: 'penguins',
          status: 'queued',
          trigger: 'cli',
          startedAt: null,
          error: null,
        });
        const got = await store.getRun(b.id);
        expect(got).toMatchObject({
          id: b.id,
          specHash: 'spec-2',
          specText: spec.specText,
          parentRunId: a.id,
          steps: [],
        });
        expect(await store.getRun('r-missing')).toBeNull();
        expect(await store.listPipelines()).toEqual([
          expect.objectContaining({ name: 'penguins', latestSpecHash: 'spec-2' }),
        ]);
        const custom = await store.createRun({ ...spec, id: 'job-42', status: 'running' });
        expect(custom).toMatchObject({ id: 'job-42', status: 'running' });
        expect(custom.startedAt).not.toBeNull();
      });

      it('updates status, times, error and summary', async () => {
        const run = await store.createRun(spec);
        const running = await store.updateRun(run.id, { status: 'running' });
        expect(running.startedAt).toEqual(expect.any(Number));
        expect(running.finishedAt).toBeNull();
        const failed = await store.updateRun(run.id, {
          status: 'failed',
          error: { code: 'MYELIN_ERR_TRAIN', message: 'loss is NaN' },
          summary: { epochs: 3, best: { loss: 0.5 } },
        });
        expect(failed.finishedAt).toEqual(expect.any(Number));
        expect(await store.getRun(run.id)).toMatchObject({
          status: 'failed',
          startedAt: running.startedAt,
          error: { code: 'MYELIN_ERR_TRAIN', message: 'loss is NaN' },
          summary: { epochs: 3, best: { loss: 0.5 } },
        });
        const cleared = await store.updateRun(run.id, { error: null, summary: null });
        expect(cleared).toMatchObject({ error: null, summary: null, status: 'failed' });
        expect(await codeOf(store.updateRun('r-missing', { status: 'running' }))).toBe(
          'MYELIN_ERR_REGISTRY_NOT_FOUND',
        );
        expect(await codeOf(store.updateRun(run.id, { status: 'exploded' as never }))).toBe(
          'MYELIN_ERR_REGISTRY',
        );
      });

      it('lists runs newest first, filtered and paged by cursor', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const run = await store.createRun({ ...spec, pipeline: i % 2 ? 'iris' : 'penguins' });
          ids.push(run.id);
          if (i < 3) await store.updateRun(run.id, { status: 'succeeded' });
        }
        const pages: string[][] = [];
        let cursor: string | null = null;
        do {
          const page: { runs: { id: string }[]; nextCursor: string | null } = await store.listRuns({
            limit: 3,
            cursor,
          });
          pages.push(page.runs.map((r) => r.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
        expect(pages.flat()).toEqual([...ids].reverse());
        expect((await store.listRuns({ status: 'succeeded' })).runs).toHaveLength(3);
        expect((await store.listRuns({ status: ['queued', 'succeeded'] })).runs).toHaveLength(7);
        expect((await store.listRuns({ pipeline: 'iris' })).runs.map((r) => r.pipeline)).toEqual([
          'iris',
          'iris',
          'iris',
        ]);
        expect((await store.listRuns({ pipeline: 'iris', status: 'queued' })).runs).toHaveLength(2);
        expect((await store.listRuns({ limit: 100 })).nextCursor).toBeNull();
        const some = (await store.listRuns({ ids: [ids[1]!, ids[4]!, ids[1]!, 'r-missing'] })).runs;
        expect(some.map((r) => r.id)).toEqual([ids[4], ids[1]]);
        expect((await store.listRuns({ ids: [] })).runs).toEqual([]);
        const statuses = await store.runStatuses([ids[0]!, ids[4]!, ids[0]!, 'r-missing']);
        expect([...statuses].sort()).toEqual(
          [
            [ids[0], 'succeeded'],
            [ids[4], 'queued'],
          ].sort(),
        );
        expect((await store.runStatuses([])).size).toBe(0);
      });
    });

    describe('steps', () => {
      it('creates, starts, finishes and logs steps, kept in creation order', async () => {
        const run = await store.createRun(spec);
        for (const step of ['ingest', 'validate', 'train']) await store.upsertStep(run.id, step);
        const started = await store.startStep(run.id, 'ingest');
        expect(started).toMatchObject({ status: 'running', attempt: 1, finishedAt: null });
        await store.appendStepLog(run.id, 'ingest', 'read 344 rows\n');
        await store.appendStepLog(run.id, 'ingest', 'done\n');
        const failed = await store.finishStep(run.id, 'ingest', {
          status: 'failed',
          error: { code: 'MYELIN_ERR_DATA_READ', message: 'boom' },
        });
        expect(failed).toMatchObject({
          status: 'failed',
          error: { code: 'MYELIN_ERR_DATA_READ', message: 'boom' },
        });
        const retried = await store.startStep(run.id, 'ingest');
        expect(retried).toMatchObject({ attempt: 2, error: null, finishedAt: null });
        await store.finishStep(run.id, 'ingest', {
          status: 'succeeded',
          outputs: { data: `sha256/ab/${'c'.repeat(62)}` },
          cacheKey: 'ck-ingest',
        });
        await store.upsertStep(run.id, 'validate', { status: 'skipped' });
        const got = await store.getRun(run.id);
        expect(got?.steps.map((s) => s.name)).toEqual(['ingest', 'validate', 'train']);
        expect(got?.steps[0]).toMatchObject({
          status: 'succeeded',
          attempt: 2,
          logs: 'read 344 rows\ndone\n',
          outputs: { data: `sha256/ab/${'c'.repeat(62)}` },
          cacheKey: 'ck-ingest',
        });
        expect(got?.steps[0]?.finishedAt).toEqual(expect.any(Number));
        expect(got?.steps[1]?.status).toBe('skipped');
        expect(got?.steps[2]?.status).toBe('pending');
        await store.appendStepLog(run.id, 'evaluate', 'created by its first log line');
        expect((await store.getRun(run.id))?.steps[3]).toMatchObject({
          name: 'evaluate',
          logs: 'created by its first log line',
        });
      });

      it("keeps where a run was submitted and a running step's heartbeat, for queue recovery", async () => {
        const plain = await store.createRun(spec);
        expect(plain).toMatchObject({ specFile: null, options: null });
        const run = await store.createRun({
          ...spec,
          specFile: '/srv/pipelines/penguins.yaml',
          options: { allowOutside: false, noCache: true },
        });
        expect(await store.getRun(run.id)).toMatchObject({
          specFile: '/srv/pipelines/penguins.yaml',
          options: { allowOutside: false, noCache: true },
        });
        await store.upsertStep(run.id, 'ingest');
        expect((await store.getRun(run.id))?.steps[0]?.leaseUntil).toBeNull();
        // a pending step has no lease to renew
        await store.heartbeatStep(run.id, 'ingest', 60_000);
        expect((await store.getRun(run.id))?.steps[0]?.leaseUntil).toBeNull();
        const started = await store.startStep(run.id, 'ingest');
        expect(started.leaseUntil).toBeNull();
        await store.heartbeatStep(run.id, 'ingest', 60_000);
        const lease = (await store.getRun(run.id))!.steps[0]!.leaseUntil!;
        expect(lease).toBeGreaterThanOrEqual(started.startedAt! + 60_000);
        await store.finishStep(run.id, 'ingest', { status: 'succeeded' });
        await store.heartbeatStep(run.id, 'ingest', 120_000);
        expect((await store.getRun(run.id))?.steps[0]?.leaseUntil).toBe(lease);
        // started again: the old attempt's lease is gone
        expect((await store.startStep(run.id, 'ingest')).leaseUntil).toBeNull();
        await store.heartbeatStep(run.id, 'no-such-step', 1000);
        await store.heartbeatStep('r-nosuchrun', 'ingest', 1000);
        expect(await codeOf(store.heartbeatStep(run.id, 'ingest', 0))).toBe('MYELIN_ERR_REGISTRY');
      });

      it("records a step's cache key and outputs (the step cache itself lives in the artifact store)", async () => {
        const run = await store.createRun(spec);
        await store.finishStep(run.id, 'preprocess', {
          status: 'succeeded',
          cacheKey: 'ck-1',
          outputs: { x: 1 },
        });
        const step = (await store.getRun(run.id))!.steps.find((s) => s.name === 'preprocess');
        expect(step).toMatchObject({ cacheKey: 'ck-1', outputs: { x: 1 }, status: 'succeeded' });
      });

      it('rejects steps of an unknown run', async () => {
        expect(await codeOf(store.upsertStep('r-missing', 'train'))).toBe('MYELIN_ERR_REGISTRY_NOT_FOUND');
        expect(await codeOf(store.appendStepLog('r-missing', 'train', 'x'))).toBe(
          'MYELIN_ERR_REGISTRY_NOT_FOUND',
        );
      });
    });

    describe('epochs and events', () => {
      it('records epochs once per (run, step, epoch): a re-sent epoch replaces the first', async () => {
        const run = await store.createRun(spec);
        await store.recordEpoch({
          runId: run.id,
          step: 'train',
          epoch: 0,
          metrics: { loss: 1 },
          durationMs: 120,
        });
        await store.recordEpoch({ runId: run.id, step: 'train', epoch: 1, metrics: { loss: 0.8 } });
        await store.recordEpoch({
          runId: run.id,
          step: 'train',
          epoch: 1,
          metrics: { loss: 0.7, acc: 0.5 },
          durationMs: 99,
        });
        await store.recordEpoch({ runId: run.id, step: 'finetune', epoch: 0, metrics: { loss: 0.6 } });
        const all = await store.listEpochs(run.id);
        expect(all.map((e) => [e.step, e.epoch])).toEqual([
          ['finetune', 0],
          ['train', 0],
          ['train', 1],
        ]);
        expect(all[2]).toMatchObject({ metrics: { loss: 0.7, acc: 0.5 }, durationMs: 99 });
        expect(await store.listEpochs(run.id, 'train')).toHaveLength(2);
        expect(
          await codeOf(store.recordEpoch({ runId: 'r-missing', step: 't', epoch: 0, metrics: {} })),
        ).toBe('MYELIN_ERR_REGISTRY_NOT_FOUND');
      });

      it('appends events with increasing ids and lists them after an id', async () => {
        const a = await store.createRun(spec);
        const b = await store.createRun(spec);
        const e1 = await store.appendEvent(a.id, 'run.started', { at: 1 });
        const e2 = await store.appendEvent(b.id, 'run.started');
        const e3 = await store.appendEvent(a.id, 'epoch', { epoch: 0, metrics: { loss: 1 } });
        expect(e2.id).toBeGreaterThan(e1.id);
        expect(e3.id).toBeGreaterThan(e2.id);
        expect(e1).toMatchObject({ runId: a.id, type: 'run.started', payload: { at: 1 } });
        expect(await store.listEvents({ runId: a.id })).toEqual([e1, e3]);
        expect(await store.listEvents({ runId: a.id, afterId: e1.id })).toEqual([e3]);
        expect((await store.listEvents({ afterId: 0 })).map((e) => e.id)).toEqual([e1.id, e2.id, e3.id]);
        expect(await store.listEvents({ limit: 1 })).toEqual([e1]);
        expect(e2.payload).toBeNull();
        expect(await codeOf(store.appendEvent('r-missing', 'x'))).toBe('MYELIN_ERR_REGISTRY_NOT_FOUND');
      });

      it('appends events issued together in their order; one of a missing run fails alone', async () => {
        const a = await store.createRun(spec);
        const b = await store.createRun(spec);
        const appends = [
          store.appendEvent(a.id, 'one', { n: 1 }),
          store.appendEvent(b.id, 'two'),
          store.appendEvent('r-missing', 'lost'),
          store.appendEvent(a.id, 'three', { n: 3 }),
        ];
        const [one, two, lost, three] = await Promise.allSettled(appends);
        expect(lost).toMatchObject({ status: 'rejected', reason: { code: 'MYELIN_ERR_REGISTRY_NOT_FOUND' } });
        const events = [one, two, three].map((r) => (r?.status === 'fulfilled' ? r.value : null));
        expect(events.map((e) => e?.type)).toEqual(['one', 'two', 'three']);
        const together = await Promise.all([
          store.appendEvent(b.id, 'four'),
          store.appendEvent(a.id, 'five'),
        ]);
        expect(together[1]!.id).toBeGreaterThan(together[0]!.id);
        expect(
          await store.listEvents({
            cursors: [
              { runId: a.id, afterId: 0 },
              { runId: b.id, afterId: 0 },
            ],
          }),
        ).toEqual([...events, ...together]);
      });

      it('lists the events of several runs, each after its own cursor, in id order', async () => {
        const a = await store.createRun(spec);
        const b = await store.createRun(spec);
        const c = await store.createRun(spec);
        const a1 = await store.appendEvent(a.id, 'x');
        const b1 = await store.appendEvent(b.id, 'x');
        const a2 = await store.appendEvent(a.id, 'y');
        await store.appendEvent(c.id, 'x'); // c is not asked for: none of its events come back
        const b2 = await store.appendEvent(b.id, 'y');
        const cursors = [
          { runId: a.id, afterId: a1.id },
          { runId: b.id, afterId: 0 },
        ];
        expect(await store.listEvents({ cursors })).toEqual([b1, a2, b2]);
        expect(await store.listEvents({ cursors, limit: 2 })).toEqual([b1, a2]);
        // a run named twice: its events after the lower cursor, each once
        expect(await store.listEvents({ cursors: [...cursors, { runId: a.id, afterId: 0 }] })).toEqual([
          a1,
          b1,
          a2,
          b2,
        ]);
        expect(await store.listEvents({ cursors: [] })).toEqual([]);
        expect(await codeOf(store.listEvents({ cursors, runId: a.id }))).toBe('MYELIN_ERR_REGISTRY');
        expect(await codeOf(store.listEvents({ cursors: [{ runId: a.id, afterId: -1 }] }))).toBe(
          'MYELIN_ERR_REGISTRY',
        );
      });
    });

    describe('models, versions and aliases', () => {
      it('numbers versions 1, 2, 3 per model and moves aliases with history', async () => {
        const v1 = await store.registerVersion(
          version({ aliases: ['candidate', 'champion'], who: 'alice', why: 'first' }),
        );
        expect(v1).toMatchObject({
          created: true,
          version: { version: 1, aliases: ['candidate', 'champion'] },
        });
        const v2 = await store.registerVersion(
          version({ manifestKey: `sha256/bb/${'2'.repeat(62)}`, aliases: ['candidate'], who: 'bob' }),
        );
        expect(v2.version.version).toBe(2);
        const other = await store.registerVersion(version({ model: 'iris' }));
        expect(other.version.version).toBe(1);
        expect(await store.resolveAlias('penguins', 'candidate')).toBe(2);
        expect(await store.resolveAlias('penguins', 'champion')).toBe(1);
        expect(await store.resolveAlias('penguins', 'nope')).toBeNull();
        expect(await store.getVersion('penguins', 1)).toMatchObject({
          model: 'penguins',
          version: 1,
          manifestKey: `sha256/aa/${'1'.repeat(62)}`,
          metrics: { accuracy: 0.9 },
          gates: { accuracy: { passed: true, value: 0.9, bound: '>= 0.8' } },
          runId: 'r-x',
          specHash: 'spec-1',
          dataHash: 'data-1',
          codeVersion: '0.1.0',
          aliases: ['champion'],
        });
        expect(await store.getVersion('penguins', 9)).toBeNull();
        const history = await store.aliasHistory('penguins', 'candidate');
        expect(history.map((h) => [h.fromVersion, h.toVersion, h.who])).toEqual([
          [null, 1, 'alice'],
          [1, 2, 'bob'],
        ]);
        expect(history[0]?.why).toBe('first');
      });

      it('registers a manifest once: a retried registration returns the existing version', async () => {
        const first = await store.registerVersion(version({ aliases: ['candidate'] }));
        const again = await store.registerVersion(version({ aliases: ['candidate'] }));
        expect(again).toEqual({ created: false, version: first.version });
        expect((await store.getModel('penguins'))?.versions).toHaveLength(1);
        expect(await store.aliasHistory('penguins')).toHaveLength(1);
        expect(await store.findVersionByManifest('penguins', first.version.manifestKey)).toEqual(
          first.version,
        );
        expect(await store.findVersionByManifest('penguins', 'sha256/none')).toBeNull();
      });

      it('sets and removes aliases, recording who and why', async () => {
        await store.registerVersion(version());
        await store.registerVersion(version({ manifestKey: 'm-2' }));
        await store.setAlias('penguins', 'production', 1, { who: 'carol', why: 'canary passed' });
        await store.setAlias('penguins', 'production', 1, { who: 'carol', why: 'again' }); // unchanged: no-op
        await store.setAlias('penguins', 'production', 2, { who: 'dave', why: 'promote' });
        await store.removeAlias('penguins', 'production', { who: 'erin', why: 'incident' });
        expect(await store.resolveAlias('penguins', 'production')).toBeNull();
        expect(
          (await store.aliasHistory('penguins')).map((h) => [h.fromVersion, h.toVersion, h.who, h.why]),
        ).toEqual([
          [null, 1, 'carol', 'canary passed'],
          [1, 2, 'dave', 'promote'],
          [2, null, 'erin', 'incident'],
        ]);
        expect(await codeOf(store.setAlias('penguins', 'production', 3, { who: 'x' }))).toBe(
          'MYELIN_ERR_REGISTRY_NOT_FOUND',
        );
        expect(await codeOf(store.setAlias('nobody', 'production', 1, { who: 'x' }))).toBe(
          'MYELIN_ERR_REGISTRY_NOT_FOUND',
        );
        expect(await codeOf(store.removeAlias('penguins', 'production', { who: 'x' }))).toBe(
          'MYELIN_ERR_REGISTRY_NOT_FOUND',
        );
        expect(await codeOf(store.setAlias('penguins', '3', 1, { who: 'x' }))).toBe('MYELIN_ERR_REGISTRY');
      });

      it('lists models and reads one with its versions and aliases', async () => {
        expect(await store.listModels()).toEqual([]);
        expect(await store.getModel('penguins')).toBeNull();
        await store.registerVersion(version({ aliases: ['champion'] }));
        await store.registerVersion(version({ manifestKey: 'm-2', aliases: ['candidate'] }));
        await store.registerVersion(version({ model: 'iris' }));
        expect((await store.listModels()).map((m) => [m.name, m.latestVersion])).toEqual([
          ['iris', 1],
          ['penguins', 2],
        ]);
        const detail = await store.getModel('penguins');
        expect(detail?.versions.map((v) => [v.version, v.aliases])).toEqual([
          [1, ['champion']],
          [2, ['candidate']],
        ]);
        expect(detail?.aliases).toEqual({ candidate: 2, champion: 1 });
        expect(detail?.latestVersion).toBe(2);
      });

      it('rejects malformed registrations', async () => {
        expect(await codeOf(store.registerVersion(version({ model: '../x' })))).toBe('MYELIN_ERR_REGISTRY');
        expect(await codeOf(store.registerVersion(version({ aliases: ['has space'] })))).toBe(
          'MYELIN_ERR_REGISTRY',
        );
        expect(await codeOf(store.registerVersion(version({ who: '' })))).toBe('MYELIN_ERR_REGISTRY');
        expect(await store.listModels()).toEqual([]);
      });
    });
  });
}
