import type { ApiErrorBody, ApiErrorDetail } from './api-types.js';

/** A failed API call: the HTTP status and the API's error body (code, message, located details). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];

  constructor(status: number, body: Partial<ApiErrorBody> | undefined, fallback: string) {
    const e = body?.error;
    super(e?.message ?? fallback);
    this.name = 'ApiError';
    this.status = status;
    this.code = e?.code ?? `HTTP_${status}`;
    this.details = e?.details ?? [];
  }

  /** True when the API wants a (better) token: 401 without one, 403 when its scopes fall short. */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}
