import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/api-client.js';
import { RUN_STATUSES, type RunList, type RunRecord } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { useNow } from '../api/use-now.js';
import { elapsed, formatDuration } from '../format/format-duration.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { StatusBadge } from '../layout/status-badge.js';
import { TimeCell } from '../layout/time-cell.js';
import { routeHref } from '../routes/parse-route.js';
import { useLiveProgress, type RunProgress } from './use-live-progress.js';

const POLL_MS = 4000;

function listPath(status: string, pipeline: string, cursor?: string): string {
  const q = new URLSearchParams({ limit: '50' });
  if (status) q.set('status', status);
  if (pipeline) q.set('pipeline', pipeline);
  if (cursor) q.set('cursor', cursor);
  return `/api/runs?${q.toString()}`;
}

function ProgressNote({ p }: { p: RunProgress | undefined }) {
  if (!p?.step) return null;
  return (
    <span class="progress-note">
      {p.step}
      {p.epoch !== undefined && p.epochs ? ` · epoch ${p.epoch}/${p.epochs}` : ''}
    </span>
  );
}

function RunRow({ run, progress, now }: { run: RunRecord; progress: RunProgress | undefined; now: number }) {
  const live = run.status === 'running';
  const duration = run.durationMs ?? elapsed(run.startedAt, run.finishedAt, now);
  return (
    <tr data-run-id={run.id} data-status={run.status}>
      <td>
        <a href={routeHref({ page: 'run', id: run.id, tab: 'overview' })} class="run-link">
          {run.pipeline}
        </a>
        <div class="sub">
          <code>{run.id}</code>
        </div>
      </td>
      <td>
        <StatusBadge status={run.status} /> {live ? <ProgressNote p={progress} /> : null}
        {run.error ? (
          <div class="sub error-text" title={run.error.message}>
            {run.error.message}
          </div>
        ) : null}
      </td>
      <td>{run.trigger}</td>
      <td>
        <TimeCell at={run.startedAt ?? run.createdAt} now={now} />
      </td>
      <td class="num">{formatDuration(duration)}</td>
      <td>
        {run.model ? (
          <a href={routeHref({ page: 'model', name: run.model.name })}>
            {run.model.name} v{run.model.version}
          </a>
        ) : (
          <span class="muted">–</span>
        )}
      </td>
    </tr>
  );
}

/** Runs, newest first, filtered by status and pipeline (kept in the address), updated live. */
export function RunsPage({ status, pipeline }: { status: string; pipeline: string }) {
  const path = listPath(status, pipeline);
  const res = useApi<RunList>(path);
  const all = useApi<RunList>('/api/runs?limit=200');
  const [more, setMore] = useState<RunRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [pipelineText, setPipelineText] = useState(pipeline);
  const now = useNow(1000);

  useEffect(() => {
    setMore([]);
    setCursor(null);
    setPipelineText(pipeline);
  }, [path]);
  useEffect(() => setCursor(res.data?.nextCursor ?? null), [res.data]);

  // new runs and state changes: poll the list while the page is visible
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') res.reload();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [res.reload]);

  const runs = [...(res.data?.runs ?? []), ...more];
  const progress = useLiveProgress(runs, res.reload);
  const pipelines = [...new Set((all.data?.runs ?? []).map((r) => r.pipeline))].sort();

  const go = (s: string, p: string) => {
    location.hash = routeHref({ page: 'runs', status: s, pipeline: p });
  };
  const loadMore = async () => {
    if (!cursor) return;
    const page = await api<RunList>(listPath(status, pipeline, cursor));
    setMore((m) => [...m, ...page.runs]);
    setCursor(page.nextCursor);
  };

  return (
    <section aria-labelledby="runs-title">
      <div class="page-head">
        <h1 id="runs-title">Runs</h1>
        <a class="button primary" href={routeHref({ page: 'trigger' })}>
          Start a run
        </a>
      </div>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go(status, pipelineText.trim());
        }}
      >
        <label>
          Status
          <select
            value={status}
            onChange={(e) => go((e.target as HTMLSelectElement).value, pipeline)}
            name="status"
          >
            <option value="">all</option>
            {RUN_STATUSES.map((s) => (
              <option value={s} key={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Pipeline
          <input
            name="pipeline"
            list="pipeline-names"
            value={pipelineText}
            placeholder="all"
            onInput={(e) => setPipelineText((e.target as HTMLInputElement).value)}
            onChange={(e) => go(status, (e.target as HTMLInputElement).value.trim())}
          />
          <datalist id="pipeline-names">
            {pipelines.map((p) => (
              <option value={p} key={p} />
            ))}
          </datalist>
        </label>
        {status || pipeline ? (
          <a href={routeHref({ page: 'runs', status: '', pipeline: '' })} class="button">
            Clear filters
          </a>
        ) : null}
        <span
          class="live-dot"
          title={`the list refreshes every ${POLL_MS / 1000} s; running runs stream their progress`}
        >
          live
        </span>
      </form>
      {res.error ? <ErrorNotice error={res.error} what="list runs" /> : null}
      <div class="table-wrap">
        <table class="table runs-table">
          <caption class="visually-hidden">Runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Pipeline</th>
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Started</th>
              <th scope="col" class="num">
                Duration
              </th>
              <th scope="col">Model</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow run={r} progress={progress[r.id]} now={now} key={r.id} />
            ))}
          </tbody>
        </table>
      </div>
      {res.data && runs.length === 0 ? (
        <p class="empty">
          No runs{status || pipeline ? ' match these filters' : ' yet'}.{' '}
          <a href={routeHref({ page: 'trigger' })}>Start one</a> or run <code>myelin run pipeline.yaml</code>.
        </p>
      ) : null}
      {res.loading && !res.data ? <p class="muted">Loading…</p> : null}
      {cursor ? (
        <button type="button" class="button" onClick={() => void loadMore()}>
          Older runs
        </button>
      ) : null}
    </section>
  );
}
