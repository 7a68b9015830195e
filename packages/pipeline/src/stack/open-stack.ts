import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import { MyelinError } from '@myelin/errors';
import type { Stack } from './stack.js';
import type { OpenStackOptions } from './open-stack-options.js';
import { isEmbeddedConfig, loadStackConfig, type StackConfig } from './stack-config.js';
import { openFlavor } from './flavors/open-flavor.js';
import { STACK_FLAVORS } from './flavors/stack-flavors.js';
import type { Executor } from '../executor/executor.js';

function describeConfig(
  name: string,
  store: ArtifactStore,
  meta: MetadataStore,
  executor: Executor,
): string {
  const where = executor.describe?.() ?? `${executor.name} executor`;
  return `${name} stack (artifacts ${store.describe()}, metadata ${meta.describe()}, ${where})`;
}

/**
 * Opens the configured stack (see `loadStackConfig`): each port's adapter by flavor lookup in
 * `STACK_FLAVORS` (artifacts `fs`/`s3`, database `sqlite`/`postgres`, executor `local`/`bullmq`,
 * mirror `mlflow`). Every service is checked before the stack is returned — Redis answers PING,
 * the bucket is reachable with the credentials, the database opens — so a misconfigured stack
 * fails at start with a clear `MYELIN_ERR_STACK_*` error instead of accepting work it cannot do.
 *
 * @example
 * const stack = await openStack(); // embedded unless myelin.stack.yaml or MYELIN_* say otherwise
 * try { await runPipeline(loaded, stack); } finally { await stack.close(); }
 */
export async function openStack(opts: OpenStackOptions = {}): Promise<Stack> {
  const config: StackConfig =
    opts.config ??
    (await loadStackConfig({
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    }));
  if (opts.role === 'worker' && config.executor.kind !== 'bullmq')
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      'a worker consumes the BullMQ queues and needs Redis: set MYELIN_REDIS_URL or executor: { kind: bullmq, url } in myelin.stack.yaml',
      { path: 'executor.url' },
    );
  const closers: (() => Promise<void>)[] = [];
  try {
    const store = await openFlavor(STACK_FLAVORS.artifacts, config.artifacts, undefined, 'artifacts');
    const meta = await openFlavor(STACK_FLAVORS.database, config.database, undefined, 'database');
    closers.push(() => meta.close());
    const executor = await openFlavor(STACK_FLAVORS.executor, config.executor, { meta }, 'executor');
    closers.push(async () => executor.close?.());
    const mlflow =
      config.mlflow && opts.mirror !== false
        ? await openFlavor(STACK_FLAVORS.mlflow, config.mlflow, { meta, store }, 'mlflow')
        : undefined;
    if (mlflow)
      closers.push(async () => {
        // deliver what this process recorded before it exits; what is left stays in the outbox
        await mlflow.flush().catch(() => undefined);
        await mlflow.close();
      });
    const name = isEmbeddedConfig(config) ? 'embedded' : 'production';
    return {
      name,
      store,
      meta,
      executor,
      config,
      ...(mlflow ? { mlflow } : {}),
      describe: () => describeConfig(name, store, meta, executor),
      close: async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw e;
  }
}
