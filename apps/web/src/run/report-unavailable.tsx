import type { ApiError } from '../api/api-error.js';
import { ErrorNotice } from '../layout/error-notice.js';

/**
 * Why a stored report is not shown: not produced by this run (its step did not run), or not served
 * by this API (no such route yet), or another API error.
 */
export function ReportUnavailable({ error, what, route }: { error: ApiError; what: string; route: string }) {
  if (error.status === 404 && error.code === 'MYELIN_ERR_API_NOT_FOUND') {
    return (
      <p class="notice info">
        This API does not serve the {what} yet (<code>GET {route}</code>).
      </p>
    );
  }
  if (error.status === 404)
    return <p class="notice info">This run has no {what} (its step did not finish).</p>;
  return <ErrorNotice error={error} what={`read the ${what}`} />;
}
