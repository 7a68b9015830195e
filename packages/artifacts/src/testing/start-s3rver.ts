import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Options of `startS3rver`. */
export interface StartS3rverOptions {
  /**
   * Buckets created before the server answers.
   * @defaultValue `['myelin-test']`
   */
  buckets?: string[];
}

/** A running s3rver: what an S3 client needs to reach it, and how to stop it. */
export interface RunningS3rver {
  /** `http://127.0.0.1:<port>` (use path-style addressing). */
  endpoint: string;
  region: string;
  credentials: { accessKeyId: 'S3RVER'; secretAccessKey: 'S3RVER' };
  /** The temp folder holding the buckets; removed by `stop()`. */
  dir: string;
  /** Stops the server and removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./s3rver-process.mjs', import.meta.url));
const START_TIMEOUT_MS = 30_000;

/**
 * Starts the real `s3rver` (an S3-compatible server on the local disk) on a free loopback port in a
 * child process run with `--openssl-legacy-provider` (which its ListObjectsV2 paging needs), with
 * a fresh temp folder and the given buckets. The child stops when this process exits.
 *
 * @example
 * const s3 = await startS3rver({ buckets: ['artifacts'] });
 * const store = new S3ArtifactStore({ bucket: 'artifacts', endpoint: s3.endpoint,
 *   region: s3.region, credentials: s3.credentials });
 * // …
 * await s3.stop();
 */
export async function startS3rver(opts: StartS3rverOptions = {}): Promise<RunningS3rver> {
  const dir = await mkdtemp(join(tmpdir(), 'myelin-s3rver-'));
  const buckets = opts.buckets ?? ['myelin-test'];
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', CHILD_SCRIPT, JSON.stringify({ dir, buckets })],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = once(child, 'exit').then(() => undefined);

  let port: number;
  try {
    port = await readPort(child.stdout, exited, () => stderr);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw e;
  }

  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    dir,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.stdin.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function readPort(
  stdout: NodeJS.ReadableStream,
  exited: Promise<void>,
  stderr: () => string,
): Promise<number> {
  const lines = createInterface({ input: stdout });
  let timer: NodeJS.Timeout | undefined;
  try {
    const first = await Promise.race([
      once(lines, 'line').then(([line]) => String(line)),
      exited.then(() => {
        throw new Error(`s3rver exited before it listened: ${stderr().trim()}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`s3rver did not listen within ${START_TIMEOUT_MS} ms`)),
          START_TIMEOUT_MS,
        );
      }),
    ]);
    const port = (JSON.parse(first) as { port?: unknown }).port;
    if (typeof port !== 'number') throw new Error(`s3rver printed no port: ${first}`);
    return port;
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}
