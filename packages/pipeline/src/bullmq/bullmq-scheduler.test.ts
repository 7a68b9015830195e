import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type TestRedisServer } from '../testing/start-redis-server.js';
import { BullmqScheduler } from './bullmq-scheduler.js';

let redis: TestRedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describe('BullmqScheduler (real Redis)', () => {
  it('registers, changes, lists, syncs and removes job schedulers', async () => {
    const s = new BullmqScheduler({ redisUrl: redis.url, fire: async () => undefined, consume: false });
    try {
      await s.upsert({ pipeline: 'a', cron: '0 3 * * *', timezone: 'UTC' });
      await s.upsert({ pipeline: 'b', cron: '0 4 * * *', timezone: 'UTC' });
      await s.upsert({ pipeline: 'a', cron: '0 5 * * *', timezone: 'UTC' });
      const held = await s.list();
      expect(held.map((h) => [h.pipeline, h.cron]).sort()).toEqual([
        ['a', '0 5 * * *'],
        ['b', '0 4 * * *'],
      ]);
      expect(held.every((h) => typeof h.next === 'number' && h.next > Date.now())).toBe(true);
      await s.sync([{ pipeline: 'b', cron: '0 4 * * *', timezone: 'UTC' }]);
      expect((await s.list()).map((h) => h.pipeline)).toEqual(['b']);
      await s.remove('b');
      expect(await s.list()).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it(
    'two processes holding the same schedule start each fire time exactly once',
    { timeout: 100_000 },
    async () => {
      const fired: { who: string; at: number }[] = [];
      const make = (who: string) =>
        new BullmqScheduler({
          redisUrl: redis.url,
          fire: async (pipeline) => void fired.push({ who: `${who}:${pipeline}`, at: Date.now() }),
        });
      const one = make('one');
      const two = make('two');
      try {
        // both API processes register the pipeline's schedule, as each does at start
        await Promise.all([
          one.upsert({ pipeline: 'every-minute', cron: '* * * * *', timezone: 'UTC' }),
          two.upsert({ pipeline: 'every-minute', cron: '* * * * *', timezone: 'UTC' }),
        ]);
        await one.upsert({ pipeline: 'every-minute', cron: '* * * * *', timezone: 'UTC' });
        const deadline = Date.now() + 75_000;
        while (fired.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        expect(fired).toHaveLength(1);
        // nothing else fires for this minute: the second scheduler did not start its own copy
        await new Promise((r) => setTimeout(r, 2000));
        expect(fired).toHaveLength(1);
        expect(fired[0]?.who).toMatch(/^(one|two):every-minute$/);
      } finally {
        await one.close();
        await two.close();
      }
    },
  );
});
