import { mkdir } from 'node:fs/promises';
import { FsArtifactStore, S3ArtifactStore, type ArtifactStore } from '@myelin/artifacts';
import {
  createMlflowMirror,
  openEmbeddedMetadataStore,
  openPostgresMetadataStore,
  type MetadataStore,
  type MlflowMirror,
} from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { codeVersion } from '../run/code-version.js';
import { isMyelinError, MyelinError } from '@myelin/errors';
import { LocalExecutor } from '../executor/local-executor.js';
import { BullmqExecutor } from '../executor/bullmq-executor.js';
import { maskRedisUrl, pingRedis } from '../executor/redis-connection.js';
import type { Executor } from '../executor/executor.js';
import type { Stack } from './stack.js';
import type { OpenStackOptions } from './open-stack-options.js';
import { loadStackConfig, type S3ArtifactsConfig, type StackConfig } from './stack-config.js';

function unreachable(what: string, e: unknown, path: string): MyelinError {
  if (isMyelinError(e) && e.code !== 'MYELIN_ERR_INTERNAL') return e;
  return new MyelinError(
    'MYELIN_ERR_STACK_UNREACHABLE',
    `${what}: ${e instanceof Error ? e.message : String(e)}`,
    { path },
    { cause: e },
  );
}

async function openArtifactStore(config: StackConfig['artifacts']): Promise<ArtifactStore> {
  if (config.kind === 'fs') {
    try {
      await mkdir(config.root, { recursive: true });
    } catch (e) {
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_IO',
        `cannot create the artifacts folder ${config.root} (${(e as NodeJS.ErrnoException).code ?? String(e)}); set MYELIN_HOME or MYELIN_ARTIFACTS to a writable folder`,
        { file: config.root },
        { cause: e },
      );
    }
    return new FsArtifactStore({ root: config.root });
  }
  return openS3Store(config);
}

async function openS3Store(config: S3ArtifactsConfig): Promise<ArtifactStore> {
  // credentials: the standard AWS chain (env, shared files, instance roles)
  const store = new S3ArtifactStore({
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.region ? { region: config.region } : {}),
    ...(config.serverSideEncryption ? { serverSideEncryption: { type: config.serverSideEncryption } } : {}),
  });
  try {
    await store.checkAccess();
  } catch (e) {
    throw unreachable(`artifacts s3://${config.bucket}/${config.prefix}`, e, 'artifacts');
  }
  return store;
}

async function openMetadataStore(config: StackConfig['database']): Promise<MetadataStore> {
  if (config.kind === 'sqlite') {
    try {
      await mkdir(config.dir, { recursive: true });
    } catch (e) {
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_IO',
        `cannot create the Myelin folder ${config.dir} (${(e as NodeJS.ErrnoException).code ?? String(e)}); set MYELIN_HOME to a writable folder`,
        { file: config.dir },
        { cause: e },
      );
    }
    return openEmbeddedMetadataStore({ dir: config.dir });
  }
  try {
    return await openPostgresMetadataStore({ url: config.url });
  } catch (e) {
    throw unreachable('database', e, 'database');
  }
}

function describeConfig(
  name: string,
  config: StackConfig,
  store: ArtifactStore,
  meta: MetadataStore,
): string {
  const where = config.redis ? `BullMQ queues on ${maskRedisUrl(config.redis.url)}` : 'in-process executor';
  return `${name} stack (artifacts ${store.describe()}, metadata ${meta.describe()}, ${where})`;
}

/**
 * Opens the configured stack (see `loadStackConfig`): the filesystem or S3 artifact store, the
 * embedded SQLite or a PostgreSQL metadata store, and the in-process or BullMQ executor (when Redis
 * is configured). Every service is checked before the stack is returned — Redis answers PING, the
 * bucket is reachable with the credentials, the database opens — so a misconfigured stack fails at
 * start with a clear `MYELIN_ERR_STACK_*` error instead of accepting work it cannot do.
 *
 * @example
 * const stack = await openStack(); // embedded unless myelin.stack.yaml or MYELIN_* say otherwise
 * try { await runPipeline(loaded, stack); } finally { await stack.close(); }
 */
/** The MLflow mirror of a stack: spec params resolved with the spec package, Myelin's code version in tags. */
function createStackMirror(uri: string, meta: MetadataStore, store: ArtifactStore): MlflowMirror {
  const code = codeVersion();
  return createMlflowMirror({
    uri,
    meta,
    store,
    resolveSpec: (text) => parseSpec(text, 'pipeline.yaml').spec,
    codeVersion: code.commit ? `${code.version}+${code.commit.slice(0, 12)}` : code.version,
  });
}

export async function openStack(opts: OpenStackOptions = {}): Promise<Stack> {
  const config =
    opts.config ??
    (await loadStackConfig({
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    }));
  if (opts.role === 'worker' && !config.redis)
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      'a worker consumes the BullMQ queues and needs Redis: set MYELIN_REDIS_URL or redis.url in myelin.stack.yaml',
      { path: 'redis.url' },
    );
  const closers: (() => Promise<void>)[] = [];
  try {
    if (config.redis) await pingRedis(config.redis.url);
    const store = await openArtifactStore(config.artifacts);
    const meta = await openMetadataStore(config.database);
    closers.push(() => meta.close());
    let executor: Executor = new LocalExecutor();
    if (config.redis) {
      const bullmq = new BullmqExecutor({ url: config.redis.url }, meta);
      closers.push(() => bullmq.close());
      executor = bullmq;
    }
    const mlflow =
      config.mlflow && opts.mirror !== false ? createStackMirror(config.mlflow.uri, meta, store) : undefined;
    if (mlflow)
      closers.push(async () => {
        // deliver what this process recorded before it exits; what is left stays in the outbox
        await mlflow.flush().catch(() => undefined);
        await mlflow.close();
      });
    const name =
      config.redis || config.artifacts.kind === 's3' || config.database.kind === 'postgres'
        ? 'production'
        : 'embedded';
    return {
      name,
      store,
      meta,
      executor,
      config,
      ...(mlflow ? { mlflow } : {}),
      describe: () => describeConfig(name, config, store, meta),
      close: async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw e;
  }
}
