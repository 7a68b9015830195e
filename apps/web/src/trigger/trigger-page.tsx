import { useRef, useState } from 'preact/hooks';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import type { SubmittedRun } from '../api/api-types.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { routeHref } from '../routes/parse-route.js';
import { EXAMPLE_PIPELINE } from './example-pipeline.js';
import { textOffset } from './text-offset.js';

/**
 * Starts a run from a pipeline file, uploaded or pasted. An invalid file gets the same located
 * messages as `myelin validate`; each one moves the cursor to its line.
 */
export function TriggerPage() {
  const [text, setText] = useState('');
  const [file, setFile] = useState('pipeline.yaml');
  const [noCache, setNoCache] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const area = useRef<HTMLTextAreaElement>(null);

  const upload = async (e: Event) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    setText(await f.text());
    setFile(f.name);
    setError(undefined);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const res = await api<SubmittedRun>('/api/runs', {
        method: 'POST',
        body: { spec: text, file: file || 'pipeline.yaml', ...(noCache ? { noCache } : {}) },
      });
      setError(undefined);
      location.hash = routeHref({ page: 'run', id: res.runId, tab: 'overview' });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, undefined, String(err)));
    } finally {
      setBusy(false);
    }
  };
  const jump = (line?: number, column?: number) => {
    const el = area.current;
    if (!el || !line) return;
    const at = textOffset(el.value, line, column ?? 1);
    el.focus();
    el.setSelectionRange(at, at);
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };
  const located = error && error.status === 400 && error.details.length > 0;

  return (
    <section aria-labelledby="trigger-title">
      <div class="page-head">
        <h1 id="trigger-title">Start a run</h1>
      </div>
      <form onSubmit={(e) => void submit(e)} class="trigger-form">
        <div class="row">
          <label>
            Pipeline file
            <input
              type="file"
              accept=".yaml,.yml,text/yaml,application/yaml"
              onChange={(e) => void upload(e)}
            />
          </label>
          <label>
            Name in messages
            <input name="file" value={file} onInput={(e) => setFile((e.target as HTMLInputElement).value)} />
          </label>
          <button type="button" class="button" onClick={() => setText(EXAMPLE_PIPELINE)}>
            Use the example
          </button>
        </div>
        <label class="block">
          Pipeline YAML (paste, or load a file above)
          <textarea
            ref={area}
            name="spec"
            rows={22}
            spellcheck={false}
            value={text}
            placeholder={'apiVersion: myelin/v1\nname: …'}
            aria-invalid={located ? 'true' : undefined}
            aria-describedby={located ? 'spec-errors' : undefined}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <div class="row">
          <label class="check">
            <input
              type="checkbox"
              checked={noCache}
              onChange={(e) => setNoCache((e.target as HTMLInputElement).checked)}
            />{' '}
            Re-run every step (no step cache)
          </label>
          <button type="submit" class="button primary" disabled={busy || text.trim() === ''}>
            {busy ? 'Starting…' : 'Start run'}
          </button>
        </div>
      </form>
      {located ? (
        <div class="notice error spec-errors" id="spec-errors" role="alert">
          <strong>
            {error.details.length === 1
              ? 'The pipeline file has a problem:'
              : `The pipeline file has ${error.details.length} problems:`}
          </strong>
          <ul>
            {error.details.map((d, i) => (
              <li key={i}>
                {d.line ? (
                  <button type="button" class="linkish" onClick={() => jump(d.line, d.column)}>
                    {d.message}
                  </button>
                ) : (
                  d.message
                )}{' '}
                {d.code ? <code class="muted">{d.code}</code> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : error ? (
        <ErrorNotice error={error} what="start the run" />
      ) : null}
    </section>
  );
}
