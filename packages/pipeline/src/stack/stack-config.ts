import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MyelinError } from '@myelin/errors';
import { readStackFile } from './read-stack-file.js';
import type { StackFile } from './stack-config-schema.js';
import type { ArtifactsConfig } from './flavors/artifact-store-flavors.js';
import type { BullmqExecutorConfig, ExecutorConfig } from './flavors/executor-flavors.js';
import type { DatabaseConfig } from './flavors/metadata-store-flavors.js';
import type { MlflowConfig } from './flavors/mlflow-flavors.js';
import { QUEUE_PREFIX } from '../queue/queue-names.js';

/** The resolved stack: which flavor each port uses. Absent parts are the embedded defaults. */
export interface StackConfig {
  /** `local`: steps run in-process; `bullmq`: runs are dispatched through BullMQ on `url` under `prefix`. */
  executor: ExecutorConfig;
  artifacts: ArtifactsConfig;
  database: DatabaseConfig;
  mlflow?: MlflowConfig;
  /** The stack file that was read, or null. */
  file: string | null;
}

/** The queues of a stack dispatching through BullMQ, or undefined for an in-process stack. */
export function queueConnection(config: StackConfig | undefined): BullmqExecutorConfig | undefined {
  return config?.executor.kind === 'bullmq' ? config.executor : undefined;
}

/** Where `loadStackConfig` looks. */
export interface StackConfigSource {
  /** Folder holding `myelin.stack.yaml`; relative paths in env resolve here. @defaultValue process.cwd() */
  cwd?: string;
  /** Environment variables (they win over the file). @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
}

/** The stack file's name, looked up in the working directory unless `MYELIN_STACK_FILE` names one. */
export const STACK_FILE_NAME = 'myelin.stack.yaml';

/** `s3://bucket/some/prefix` → `{ bucket, prefix: 'some/prefix' }` (no leading or trailing slash). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | null {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) return null;
  return { bucket: m[1]!, prefix: m[2]!.replace(/^\/+|\/+$/g, '') };
}

function artifactsFrom(
  value: StackFile['artifacts'],
  base: string,
  where: { file?: string; path: string },
): StackConfig['artifacts'] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    if (value.kind === 'fs') return { kind: 'fs', root: resolve(base, value.root) };
    return { ...value, prefix: value.prefix.replace(/^\/+|\/+$/g, '') };
  }
  if (value.startsWith('s3://')) {
    const s3 = parseS3Uri(value);
    if (!s3 || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(s3.bucket))
      throw new MyelinError(
        'MYELIN_ERR_STACK_CONFIG',
        `"${value}" is not an s3://bucket/prefix URL with a valid bucket name`,
        where,
      );
    return { kind: 's3', ...s3 };
  }
  if (value.startsWith('file://')) return { kind: 'fs', root: fileURLToPath(value) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `artifacts "${value}": expected s3://bucket/prefix, file:///folder or a folder path`,
      where,
    );
  return { kind: 'fs', root: isAbsolute(value) ? value : resolve(base, value) };
}

function databaseFrom(
  value: StackFile['database'],
  base: string,
  where: { file?: string; path: string },
): StackConfig['database'] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    return value.kind === 'sqlite' ? { kind: 'sqlite', dir: resolve(base, value.dir) } : value;
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  if (value.startsWith('sqlite:')) return { kind: 'sqlite', dir: resolve(base, value.slice(7)) };
  throw new MyelinError(
    'MYELIN_ERR_STACK_CONFIG',
    `database "${value.replace(/\/\/[^@/]*@/, '//***@')}": expected postgres://user:password@host/db or sqlite:<folder>`,
    where,
  );
}

/**
 * Loads the stack configuration: `myelin.stack.yaml` in `cwd` (or the file `MYELIN_STACK_FILE`
 * names) and the environment, the environment winning per section. Absent ⇒ the embedded stack
 * in `MYELIN_HOME` (default `./.myelin`).
 *
 * Env: `MYELIN_REDIS_URL` (the `bullmq` executor on that Redis), `MYELIN_QUEUE_PREFIX` (its key prefix), `MYELIN_ARTIFACTS` (`s3://bucket/prefix` or a folder) with
 * `MYELIN_S3_ENDPOINT`, `MYELIN_S3_REGION` (else `AWS_REGION`), `MYELIN_S3_SSE`;
 * `MYELIN_DATABASE_URL` (`postgres://…` or `sqlite:<folder>`); `MYELIN_MLFLOW_URI`.
 *
 * @example
 * await loadStackConfig({ env: { MYELIN_REDIS_URL: 'redis://localhost:6379' } });
 * // { executor: { kind: 'bullmq', url: 'redis://localhost:6379', prefix: 'myelin' }, artifacts: { kind: 'fs', … }, database: { kind: 'sqlite', … }, file: null }
 */
export async function loadStackConfig(source: StackConfigSource = {}): Promise<StackConfig> {
  const cwd = resolve(source.cwd ?? process.cwd());
  const env = source.env ?? process.env;
  const named = env.MYELIN_STACK_FILE;
  const file = named ? resolve(cwd, named) : join(cwd, STACK_FILE_NAME);
  const fromFile: StackFile = named || existsSync(file) ? await readStackFile(file) : {};
  const read = named || existsSync(file) ? file : null;
  const fileBase = dirname(file);
  const home = resolve(cwd, env.MYELIN_HOME ?? '.myelin');

  const redisUrl = env.MYELIN_REDIS_URL?.trim();
  if (redisUrl !== undefined && redisUrl !== '' && !/^rediss?:\/\//.test(redisUrl))
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `MYELIN_REDIS_URL "${redisUrl}": expected redis://host:port`,
      { path: 'MYELIN_REDIS_URL' },
    );
  const prefix = env.MYELIN_QUEUE_PREFIX?.trim();
  if (prefix !== undefined && prefix !== '' && !/^[A-Za-z0-9_.-]{1,64}$/.test(prefix))
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `MYELIN_QUEUE_PREFIX "${prefix}": expected 1-64 letters, digits, "_", "." or "-"`,
      { path: 'MYELIN_QUEUE_PREFIX' },
    );
  const fileExecutor = fromFile.executor ?? { kind: 'local' as const };
  const queues = redisUrl
    ? { url: redisUrl, prefix: fileExecutor.kind === 'bullmq' ? fileExecutor.prefix : QUEUE_PREFIX }
    : fileExecutor.kind === 'bullmq'
      ? fileExecutor
      : undefined;
  const executor: ExecutorConfig = queues
    ? { kind: 'bullmq', url: queues.url, prefix: prefix || queues.prefix }
    : { kind: 'local' };

  let artifacts = artifactsFrom(env.MYELIN_ARTIFACTS?.trim() || undefined, cwd, {
    path: 'MYELIN_ARTIFACTS',
  }) ??
    artifactsFrom(fromFile.artifacts, fileBase, { file, path: 'artifacts' }) ?? {
      kind: 'fs' as const,
      root: join(home, 'artifacts'),
    };
  if (artifacts.kind === 's3') {
    const endpoint = env.MYELIN_S3_ENDPOINT?.trim() || artifacts.endpoint;
    const region = env.MYELIN_S3_REGION?.trim() || artifacts.region || env.AWS_REGION?.trim() || undefined;
    const sse = env.MYELIN_S3_SSE?.trim() || artifacts.serverSideEncryption;
    if (sse !== undefined && sse !== 'AES256' && sse !== 'aws:kms')
      throw new MyelinError('MYELIN_ERR_STACK_CONFIG', `MYELIN_S3_SSE "${sse}": expected AES256 or aws:kms`, {
        path: 'MYELIN_S3_SSE',
      });
    artifacts = {
      ...artifacts,
      ...(endpoint ? { endpoint } : {}),
      ...(region ? { region } : {}),
      ...(sse ? { serverSideEncryption: sse } : {}),
    };
  }
  const database = databaseFrom(env.MYELIN_DATABASE_URL?.trim() || undefined, cwd, {
    path: 'MYELIN_DATABASE_URL',
  }) ??
    databaseFrom(fromFile.database, fileBase, { file, path: 'database' }) ?? {
      kind: 'sqlite' as const,
      dir: home,
    };
  const mlflowUri = env.MYELIN_MLFLOW_URI?.trim();
  const mlflow: MlflowConfig | undefined = mlflowUri ? { kind: 'mlflow', uri: mlflowUri } : fromFile.mlflow;
  return {
    executor,
    artifacts,
    database,
    ...(mlflow ? { mlflow } : {}),
    file: read,
  };
}

/** True when nothing but embedded parts is configured. */
export function isEmbeddedConfig(config: StackConfig): boolean {
  return config.executor.kind === 'local' && config.artifacts.kind === 'fs' && config.database.kind === 'sqlite';
}
