import type { ApiError } from '../api/api-error.js';
import { routeHref } from '../routes/parse-route.js';

/**
 * An API failure as the page shows it: what went wrong and what to do. 401/403 point at the token
 * field; an unreachable API says how to start one.
 */
export function ErrorNotice({ error, what }: { error: ApiError; what?: string }) {
  if (error.status === 401) {
    return (
      <div class="notice warn" role="alert">
        <strong>This API needs a token.</strong> {error.message}.{' '}
        <a href={routeHref({ page: 'settings' })}>Enter a token</a> with the <code>read</code> scope (and{' '}
        <code>runs:write</code> or <code>models:write</code> for actions); the page keeps it in this browser.
      </div>
    );
  }
  if (error.status === 403) {
    return (
      <div class="notice warn" role="alert">
        <strong>Not allowed:</strong> {error.message}.{' '}
        <a href={routeHref({ page: 'settings' })}>Use another token</a>.
      </div>
    );
  }
  return (
    <div class="notice error" role="alert">
      <strong>{what ? `Could not ${what}: ` : ''}</strong>
      {error.message} {error.code && error.status !== 0 ? <code class="muted">{error.code}</code> : null}
    </div>
  );
}
