import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { StackConfig } from '@myelin/pipeline';
import { startRedisServer, type TestRedisServer } from '@myelin/pipeline/testing';

/** Queue stacks on the redis-server of one test file. */
export interface QueuedStacks {
  /** A fresh stack: its own key prefix on the file's Redis, its artifacts and database in a new folder. */
  config(): StackConfig;
  /** The file's Redis. */
  redisUrl(): string;
}

/**
 * Queue stacks for the worker's tests: a redis-server spawned before the file's tests and stopped
 * after them, and a fresh stack on it per `config()` (its folders are removed after the tests).
 * Call it at the top of a test file.
 *
 * @example const stacks = queuedStacks('myelin-retry-'); // then, in a test: startWorker({ stack: stacks.config(), … })
 */
export function queuedStacks(folderPrefix: string): QueuedStacks {
  let redis: TestRedisServer | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const redisUrl = (): string => {
    if (!redis)
      throw new Error('queuedStacks: the redis-server starts in beforeAll; ask for stacks inside tests');
    return redis.url;
  };
  return {
    redisUrl,
    config() {
      const home = mkdtempSync(join(tmpdir(), folderPrefix));
      dirs.push(home);
      return {
        executor: { kind: 'bullmq', url: redisUrl(), prefix: `t-${randomUUID()}` },
        artifacts: { kind: 'fs', root: join(home, 'artifacts') },
        database: { kind: 'sqlite', dir: home },
        file: null,
      };
    },
  };
}
