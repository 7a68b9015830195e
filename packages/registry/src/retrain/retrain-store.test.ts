import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataStore } from '../metadata-store.js';
import { openPostgresMetadataStore } from '../postgres/open-postgres-metadata-store.js';
import { openEmbeddedMetadataStore } from '../sqlite/open-embedded-metadata-store.js';
import {
  createTempPostgresDatabase,
  postgresTestSkipReason,
  type TempPostgresDatabase,
} from '../testing/index.js';
import { RetrainStore } from './retrain-store.js';

const pgSkip = await postgresTestSkipReason();

function contract(name: string, open: () => Promise<{ meta: MetadataStore; close(): Promise<void> }>) {
  describe(name, () => {
    let meta: MetadataStore;
    let close: () => Promise<void>;
    let retrain: RetrainStore;
    beforeAll(async () => {
      ({ meta, close } = await open());
      retrain = RetrainStore.forStore(meta);
    });
    afterAll(async () => close());

    it('registers, changes, lists and removes a schedule', async () => {
      const first = await retrain.upsertSchedule(
        {
          pipeline: 'p1',
          cron: '0 3 * * 1',
          timezone: 'UTC',
          specText: 'a',
          specFile: '/x/p1.yaml',
          options: { noCache: false },
        },
        1000,
      );
      expect(first).toMatchObject({
        cron: '0 3 * * 1',
        createdAt: 1000,
        updatedAt: 1000,
        options: { noCache: false },
      });
      const changed = await retrain.upsertSchedule(
        {
          pipeline: 'p1',
          cron: '*/5 * * * *',
          timezone: 'UTC',
          specText: 'b',
          specFile: null,
          options: null,
        },
        2000,
      );
      expect(changed).toMatchObject({
        cron: '*/5 * * * *',
        specText: 'b',
        createdAt: 1000,
        updatedAt: 2000,
        specFile: null,
      });
      expect((await retrain.listSchedules()).map((s) => s.pipeline)).toEqual(['p1']);
      expect(await retrain.removeSchedule('p1')).toBe(true);
      expect(await retrain.removeSchedule('p1')).toBe(false);
      expect(await retrain.getSchedule('p1')).toBeNull();
    });

    it('records a drift event once, whoever records it first', async () => {
      const base = {
        model: 'm',
        version: 1,
        parentRunId: 'r-1',
        pipeline: 'p',
        reason: 'drift',
        runId: null,
      };
      const results = await Promise.all([
        retrain.recordTrigger({ ...base, eventId: 7, decision: 'started' }),
        retrain.recordTrigger({ ...base, eventId: 7, decision: 'skipped' }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      await retrain.updateTrigger(7, { decision: 'started', reason: 'drift on x', runId: 'r-2' });
      expect(await retrain.startedFor('m', 1)).toMatchObject({
        eventId: 7,
        runId: 'r-2',
        reason: 'drift on x',
      });
      expect(await retrain.startedFor('m', 2)).toBeNull();
      await retrain.recordTrigger({ ...base, eventId: 9, version: 2, decision: 'skipped' });
      expect(await retrain.lastHandledEventId()).toBe(9);
      expect((await retrain.listTriggers({ model: 'm' })).map((t) => t.eventId)).toEqual([9, 7]);
      expect((await retrain.listTriggers({ runId: 'r-2' })).map((t) => t.eventId)).toEqual([7]);
    });

    it('moves a claim by compare-and-set: of two takers of the same claim one wins', async () => {
      expect(await retrain.getClaim('c')).toBeNull();
      const firsts = await Promise.all([retrain.takeClaim('c', null, 10), retrain.takeClaim('c', null, 11)]);
      expect(firsts.filter(Boolean)).toHaveLength(1);
      const seen = await retrain.getClaim('c');
      await retrain.setClaimRun('c', 'r-9');
      expect(await retrain.getClaim('c')).toMatchObject({ runId: 'r-9' });
      const again = await Promise.all([retrain.takeClaim('c', seen, 20), retrain.takeClaim('c', seen, 21)]);
      expect(again.filter(Boolean)).toHaveLength(1);
      expect(await retrain.getClaim('c')).toMatchObject({ runId: null });
    });
  });
}

contract('RetrainStore on SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'myelin-retrain-store-'));
  const meta = await openEmbeddedMetadataStore({ dir });
  return {
    meta,
    close: async () => {
      await meta.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe.skipIf(pgSkip !== null)('PostgreSQL', () => {
  contract('RetrainStore on PostgreSQL', async () => {
    const db: TempPostgresDatabase = await createTempPostgresDatabase();
    const meta = await openPostgresMetadataStore({ url: db.url });
    return {
      meta,
      close: async () => {
        await meta.close();
        await db.drop();
      },
    };
  });
});
