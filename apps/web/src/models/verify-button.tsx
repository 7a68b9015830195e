import { useState } from 'preact/hooks';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import type { VerifyResult } from '../api/api-types.js';

/** Re-hashes every file of a version on the server and says whether all match. */
export function VerifyButton({ model, version }: { model: string; version: number }) {
  const [state, setState] = useState<{ busy?: boolean; result?: VerifyResult; error?: ApiError }>({});
  const route = `/api/models/${encodeURIComponent(model)}/versions/${version}/verify`;
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ result: await api<VerifyResult>(route, { method: 'POST' }) });
    } catch (e) {
      setState({ error: e instanceof ApiError ? e : new ApiError(0, undefined, String(e)) });
    }
  };
  const r = state.result;
  return (
    <div class="verify" aria-live="polite">
      <button type="button" class="button small" onClick={() => void run()} disabled={state.busy}>
        {state.busy ? 'Verifying…' : 'Verify'}
      </button>{' '}
      {r ? (
        r.ok ? (
          <span class="badge status-succeeded">all files match</span>
        ) : (
          <span
            class="badge status-failed"
            title={r.problems.map((p) => `${p.file}: ${p.problem}`).join('\n')}
          >
            {r.problems.length} problem{r.problems.length === 1 ? '' : 's'}: {r.problems[0]?.file}{' '}
            {r.problems[0]?.problem}
          </span>
        )
      ) : null}
      {state.error ? (
        <span class="error-text">
          {state.error.status === 404 && state.error.code === 'MYELIN_ERR_API_NOT_FOUND'
            ? `this API cannot verify yet; run: myelin verify ${model}@${version}`
            : state.error.message}
        </span>
      ) : null}
    </div>
  );
}
