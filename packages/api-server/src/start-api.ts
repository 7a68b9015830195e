import type { FastifyInstance } from 'fastify';
import { MyelinError } from '@myelin/errors';
import type { Stack } from '@myelin/pipeline';
import { apiTokensFromEnv } from './auth/parse-api-tokens.js';
import { buildApiServer } from './build-api-server.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { openApiStack } from './open-api-stack.js';
import type { StartApiOptions } from './start-api-options.js';

/** A listening API server. */
export interface RunningApi {
  app: FastifyInstance;
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  stack: Stack;
  /** Stops accepting requests, ends event streams, waits for in-process runs, closes an owned stack. */
  close(): Promise<void>;
}

/**
 * Starts the queue API: tokens from the options or `MYELIN_API_TOKENS`, the configured stack
 * unless one is given, listening on `host:port`. Without tokens it refuses a non-loopback host
 * (`MYELIN_ERR_API_INSECURE`) unless `insecure` is set. Submitted runs read files only inside
 * `pipelinesDir`, whatever the host.
 *
 * @example
 * const api = await startApi({ port: 0 });
 * console.log(api.url); // http://127.0.0.1:41234
 * await api.close();
 */
export async function startApi(opts: StartApiOptions = {}): Promise<RunningApi> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 8080;
  const tokens = opts.tokens ?? apiTokensFromEnv();
  const loopback = isLoopbackHost(host);
  if (tokens.length === 0 && !loopback && !opts.insecure) {
    throw new MyelinError(
      'MYELIN_ERR_API_INSECURE',
      `refusing to listen on ${host} without API tokens: anyone reaching it could start runs and move aliases. ` +
        'Set MYELIN_API_TOKENS (token:read,runs:write,models:write;…), listen on 127.0.0.1, or pass --insecure',
    );
  }
  const stack = opts.stack ?? (await openApiStack());
  const ownStack = opts.stack === undefined;
  try {
    const app = await buildApiServer({ ...opts, stack, tokens });
    try {
      await app.listen({ host, port });
    } catch (e) {
      await app.close().catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new MyelinError(
          'MYELIN_ERR_USAGE',
          `cannot listen on ${host}:${port} (${code}); choose another --port or --host`,
          undefined,
          { cause: e },
        );
      }
      throw e;
    }
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return {
      app,
      url: `http://${shownHost}:${actualPort}`,
      stack,
      close: async () => {
        await app.close();
        if (ownStack) await stack.close();
      },
    };
  } catch (e) {
    if (ownStack) await stack.close().catch(() => undefined);
    throw e;
  }
}
