import { readToken } from '../auth/token-store.js';
import { ApiError } from './api-error.js';
import type { ApiErrorBody } from './api-types.js';

/** Headers of every API request: JSON, and the stored bearer token when there is one. */
export function authHeaders(token = readToken()): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * Calls the API on the page's own origin and returns the JSON body; throws {@link ApiError}
 * with the API's error body for any non-2xx status.
 *
 * @example const { runId } = await api<{ runId: string }>('/api/runs', { method: 'POST', body: { yaml } });
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, undefined, 'the API cannot be reached (is `myelin api` running?)');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok)
    throw new ApiError(
      res.status,
      body as Partial<ApiErrorBody> | undefined,
      `${res.status} ${res.statusText}`,
    );
  return body as T;
}
