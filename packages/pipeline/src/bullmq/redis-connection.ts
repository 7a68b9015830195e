import { Redis } from 'ioredis';
import { MyelinError } from '@myelin/errors';

/** A URL with its password hidden, for messages. */
export function maskRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** A connection for BullMQ (blocking commands need `maxRetriesPerRequest: null`). */
export function openRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * Checks that Redis answers PING within `timeoutMs`; else a clear `MYELIN_ERR_STACK_UNREACHABLE`.
 *
 * @example await pingRedis('redis://localhost:6379');
 */
export async function pingRedis(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new MyelinError(
      'MYELIN_ERR_STACK_UNREACHABLE',
      `cannot reach Redis at ${maskRedisUrl(url)} (${e instanceof Error ? e.message : String(e)}); start it or fix MYELIN_REDIS_URL / redis.url in myelin.stack.yaml`,
      { path: 'redis.url' },
      { cause: e },
    );
  } finally {
    redis.disconnect();
  }
}
