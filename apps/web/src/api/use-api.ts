import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useAuth } from '../auth/auth-context.js';
import { api } from './api-client.js';
import { ApiError } from './api-error.js';

export interface ApiResource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetches again, keeping the current data on screen meanwhile. */
  reload(): void;
}

/**
 * Reads `path` from the API (again when the path or the token changes, or on `reload`).
 * `null` reads nothing. Failures land in `error` as an {@link ApiError}.
 */
export function useApi<T>(path: string | null): ApiResource<T> {
  const { version } = useAuth();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const lastPath = useRef<string | null>(null);

  useEffect(() => {
    if (path === null) return;
    if (lastPath.current !== path) {
      setData(undefined);
      lastPath.current = path;
    }
    const abort = new AbortController();
    setLoading(true);
    api<T>(path, { signal: abort.signal })
      .then((d) => {
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e instanceof ApiError ? e : new ApiError(0, undefined, String(e)));
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [path, version, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
