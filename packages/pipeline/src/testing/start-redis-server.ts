import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A redis-server a test started for itself. */
export interface TestRedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: no data is kept, as it has no persistence). */
  stop(): Promise<void>;
  /** Stops it and starts a fresh, empty one on the same port. */
  restart(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    } finally {
      redis.disconnect();
    }
    await sleep(50);
  }
}

/**
 * Starts its own `redis-server` (installed binary) on a free port, without persistence
 * (`--save '' --appendonly no`), for tests and benchmarks — never the shared one on 6379.
 *
 * @example
 * const redis = await startRedisServer();
 * try { … redis.url … } finally { await redis.stop(); }
 */
export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitForPing(url, 10_000);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    port,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
