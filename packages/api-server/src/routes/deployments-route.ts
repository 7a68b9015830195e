import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../schemas/error-schema.js';

const security = [{ bearer: [] }];

/** Default time one model server gets to answer `/v1/status`. */
export const SERVE_STATUS_TIMEOUT_MS = 2000;

/** What `GET /api/deployments` answers per model server. */
export interface ServerStatus {
  url: string;
  ok: boolean;
  error?: string;
  /** The server's `/v1/status` body (see @myelin/serving `ServingStatus`). */
  status?: unknown;
}

/** Where the model servers are: `urls`, else `MYELIN_SERVE_URLS` (comma-separated), read at each request. */
export interface DeploymentsOptions {
  urls?: string[];
  /** A bearer token sent to the model servers (else `MYELIN_SERVE_TOKEN`), for models that need one. */
  token?: string;
  timeoutMs?: number;
}

/** The configured model server URLs, trimmed, without trailing slashes, blanks dropped. */
export function serveUrls(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter((u) => u.length > 0);
}

async function fetchStatus(url: string, token: string | undefined, timeoutMs: number): Promise<ServerStatus> {
  try {
    const res = await fetch(`${url}/v1/status`, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) {
      let why = text.slice(0, 200);
      try {
        const parsed: unknown = JSON.parse(text);
        // a JSON body that is not an object ("null", a number) keeps the text as the reason
        const e =
          typeof parsed === 'object' && parsed !== null && 'error' in parsed ? parsed.error : undefined;
        if (typeof e === 'string') why = e;
      } catch {
        /* not JSON: the text itself */
      }
      return { url, ok: false, error: `HTTP ${res.status}${why ? `: ${why}` : ''}` };
    }
    const status: unknown = JSON.parse(text);
    return { url, ok: true, status };
  } catch (e) {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const error =
      err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (err.cause?.code ?? err.cause?.message ?? err.message ?? String(e));
    return { url, ok: false, error };
  }
}

/**
 * `GET /api/deployments`: the live figures of every model server in `MYELIN_SERVE_URLS`, each
 * asked for `/v1/status` in parallel with a short timeout. A server that is down, slow or
 * answers an error is `{ url, ok: false, error }`; the response itself never fails for it.
 */
export function deploymentsRoute(opts: DeploymentsOptions = {}) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/deployments',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['models'],
          summary: 'Live serving figures from each model server in MYELIN_SERVE_URLS',
          security,
          response: {
            200: {
              type: 'object',
              required: ['servers'],
              properties: {
                servers: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['url', 'ok'],
                    properties: {
                      url: { type: 'string' },
                      ok: { type: 'boolean' },
                      error: { type: 'string' },
                      status: { type: 'object', additionalProperties: true },
                    },
                  },
                },
              },
            },
            ...errorResponses(401, 403, 429),
          },
        },
      },
      async () => {
        const urls = opts.urls ?? serveUrls(process.env.MYELIN_SERVE_URLS);
        const token = opts.token ?? process.env.MYELIN_SERVE_TOKEN;
        const timeoutMs = opts.timeoutMs ?? SERVE_STATUS_TIMEOUT_MS;
        return { servers: await Promise.all(urls.map((u) => fetchStatus(u, token || undefined, timeoutMs))) };
      },
    );
  };
}
