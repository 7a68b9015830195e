import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type TestRedisServer } from '../testing/start-redis-server.js';
import { AshaRungs } from './asha-rungs.js';
import { RedisRungBoard, rungKey } from './redis-rung-board.js';

let server: TestRedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

const settings = { minEpochs: 2, factor: 2, maxEpochs: 16 };

describe('RedisRungBoard (a spawned redis-server)', () => {
  it('gives the verdicts of the in-memory rungs, whichever board (worker) a trial reports through', async () => {
    const one = new RedisRungBoard({ redis, prefix: 'p1', runId: 'r-aaaaaa', ...settings });
    const other = new RedisRungBoard({ redis, prefix: 'p1', runId: 'r-aaaaaa', ...settings });
    const memory = new AshaRungs(settings);
    expect(one.rungs).toEqual([2, 4, 8]);
    const reports: [number, number, number][] = [
      [0, 1, 9],
      [0, 2, 0.5],
      [1, 2, 0.9],
      [2, 2, 0.4],
      [3, 2, 0.45],
      [4, 2, Number.NaN],
      [0, 4, 0.3],
    ];
    for (const [i, [trial, epoch, value]] of reports.entries()) {
      const board = i % 2 === 0 ? one : other;
      expect(await board.report(trial, epoch, value)).toBe(await memory.report(trial, epoch, value));
    }
    expect(await redis.hgetall(rungKey('p1', 'r-aaaaaa', 2))).toEqual({
      '0': '0.5',
      '1': '0.9',
      '2': '0.4',
      '3': '0.45',
      '4': 'inf',
    });
    expect(await redis.ttl(rungKey('p1', 'r-aaaaaa', 2))).toBeGreaterThan(0);
  });

  it('counts a trial that reports a rung again (resumed on another worker) once, and keeps runs and prefixes apart', async () => {
    const board = new RedisRungBoard({
      redis,
      prefix: 'p2',
      runId: 'r-bbbbbb',
      minEpochs: 2,
      factor: 3,
      maxEpochs: 16,
    });
    await board.report(0, 2, 0.5);
    await board.report(0, 2, 0.5);
    // two trials so far, fewer than the factor: it goes on (three values would have stopped it)
    expect(await board.report(1, 2, 0.9)).toBe('continue');
    const elsewhere = new RedisRungBoard({ redis, prefix: 'p3', runId: 'r-bbbbbb', ...settings });
    expect(await elsewhere.report(7, 2, 5)).toBe('continue');
    expect(await redis.hlen(rungKey('p2', 'r-bbbbbb', 2))).toBe(2);
  });
});
