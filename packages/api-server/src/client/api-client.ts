import { isErrorCode, MyelinError, MyelinErrorList, type ErrorCode } from '@myelin/errors';
import type { RunStatus } from '@myelin/registry';
import type { ApiErrorBody } from '../errors/api-error-body.js';
import type { SubmitRunBody } from '../schemas/run-schemas.js';
import { createSseParser } from './sse-parser.js';
import { parseRunStreamEnd, parseStreamedRunEvent } from './stream-messages.js';

/** Where the API is and how to authenticate. */
export interface ApiClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Bearer token. @defaultValue none */
  token?: string;
}

/** A stored run event as the event stream sends it. */
export interface StreamedRunEvent {
  id: number;
  runId: string;
  type: string;
  ts: number;
  payload: unknown;
}

/** The last message of an event stream. */
export interface RunStreamEnd {
  runId: string;
  status: RunStatus;
  exitCode: number | null;
  error: { code: string; message: string } | null;
  lastEventId: number;
}

const codeOf = (code: unknown): ErrorCode => (isErrorCode(code) ? code : 'MYELIN_ERR_API_UNREACHABLE');

/** Turns an error response into the MyelinError (or list) the server raised, messages unchanged. */
async function responseError(res: Response, what: string): Promise<MyelinError> {
  let body: Partial<ApiErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    body = undefined;
  }
  const err = body?.error;
  if (!err || typeof err.message !== 'string') {
    return new MyelinError(
      'MYELIN_ERR_API_UNREACHABLE',
      `${what}: HTTP ${res.status} without a Myelin error body`,
    );
  }
  const details = err.details ?? [];
  if (details.length > 1) {
    return new MyelinErrorList(details.map((d) => new MyelinError(codeOf(d.code ?? err.code), d.message)));
  }
  return new MyelinError(codeOf(err.code), details[0]?.message ?? err.message);
}

/**
 * A small client of the queue API (what `myelin trigger` uses): submit a run, read it, follow its
 * events. Error responses become MyelinErrors with the server's codes and located messages; a
 * server that cannot be reached is `MYELIN_ERR_API_UNREACHABLE`.
 */
export function createApiClient(opts: ApiClientOptions) {
  const base = opts.url.replace(/\/+$/, '');
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    ...extra,
  });
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await fetch(`${base}${path}`, init);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new MyelinError(
        'MYELIN_ERR_API_UNREACHABLE',
        `cannot reach the Myelin API at ${base} (${cause ?? (e as Error).message}); is \`myelin api\` running? (--api URL)`,
        undefined,
        { cause: e },
      );
    }
  };
  const json = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await call(path, init);
    if (!res.ok) throw await responseError(res, `${init.method ?? 'GET'} ${path}`);
    return (await res.json()) as T;
  };

  return {
    /** `POST /api/runs` → the new run's id (and where its pipeline resolves data). */
    submitRun: (body: SubmitRunBody) =>
      json<{ runId: string; pipeline: string; dataDir: string }>('/api/runs', {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
      }),

    /** `GET /api/runs/:id`. */
    getRun: <T = Record<string, unknown>>(id: string) =>
      json<T>(`/api/runs/${encodeURIComponent(id)}`, { headers: headers() }),

    /**
     * Follows `GET /api/runs/:id/events` until `event: end`, calling `onEvent` for each event;
     * reconnects with `Last-Event-ID` when the connection drops (at most `retries` times in a row).
     */
    followRun: async (
      id: string,
      onEvent: (e: StreamedRunEvent) => void,
      follow: { after?: number; retries?: number; signal?: AbortSignal } = {},
    ): Promise<RunStreamEnd> => {
      let last = follow.after ?? 0;
      let failures = 0;
      for (;;) {
        const res = await call(`/api/runs/${encodeURIComponent(id)}/events`, {
          headers: headers({ accept: 'text/event-stream', 'last-event-id': String(last) }),
          ...(follow.signal ? { signal: follow.signal } : {}),
        });
        if (!res.ok) throw await responseError(res, `GET /api/runs/${id}/events`);
        const parse = createSseParser();
        const decoder = new TextDecoder();
        try {
          for await (const chunk of res.body ?? []) {
            for (const m of parse(decoder.decode(chunk, { stream: true }))) {
              if (m.event === 'end') return parseRunStreamEnd(m.data);
              const e = parseStreamedRunEvent(m.data);
              last = e.id;
              failures = 0;
              onEvent(e);
            }
          }
        } catch (e) {
          // a dropped connection reconnects; a message that is not the API's (or a MyelinError
          // thrown by onEvent) ends the follow
          if (follow.signal?.aborted || e instanceof MyelinError) throw e;
        }
        if (++failures > (follow.retries ?? 5)) {
          throw new MyelinError(
            'MYELIN_ERR_API_UNREACHABLE',
            `the event stream of run ${id} kept closing early`,
          );
        }
        await new Promise((r) => setTimeout(r, 500 * failures));
      }
    },
  };
}

/** The client {@link createApiClient} returns. */
export type ApiClient = ReturnType<typeof createApiClient>;
