import { useMemo, useState } from 'preact/hooks';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import type { EngineSummary, RunDetail } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { useNow } from '../api/use-now.js';
import { TrainingCurves } from '../charts/training-curves.js';
import { elapsed, formatDuration } from '../format/format-duration.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { ShortHash } from '../layout/short-hash.js';
import { StatusBadge } from '../layout/status-badge.js';
import { TimeCell } from '../layout/time-cell.js';
import { routeHref, RUN_TABS, type RunTab } from '../routes/parse-route.js';
import { EvaluationPanel } from './evaluation-panel.js';
import { mergeEpochs, stepViews } from './live-run.js';
import { LogsPanel } from './logs-panel.js';
import { StepDetails } from './step-details.js';
import { StepGraph } from './step-graph.js';
import { TrialsPanel } from './trials-panel.js';
import { useLiveRun } from './use-live-run.js';
import { ValidationPanel } from './validation-panel.js';

const TAB_LABEL: Record<RunTab, string> = {
  overview: 'Overview',
  logs: 'Logs',
  data: 'Data',
  evaluation: 'Evaluation',
  trials: 'Trials',
  pipeline: 'Pipeline file',
};

/** One run: header, step graph, live curves, and tabs for logs, data, evaluation and the pipeline file. */
export function RunPage({ id, tab, step: stepParam }: { id: string; tab: RunTab; step?: string }) {
  const detail = useApi<RunDetail>(`/api/runs/${encodeURIComponent(id)}`);
  const { live, streamError } = useLiveRun(id, detail.reload);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [cancelError, setCancelError] = useState<ApiError | undefined>(undefined);
  const run = detail.data ?? null;
  const status = run?.status ?? 'queued';
  const now = useNow(1000, status === 'running' || status === 'queued');
  const steps = useMemo(() => stepViews(run, live, now), [run, live, now]);
  const epochs = useMemo(() => mergeEpochs(run?.epochs ?? [], live.epochs), [run?.epochs, live.epochs]);
  const totalEpochs = live.epochs.at(-1)?.epochs;

  if (detail.error && !run) return <ErrorNotice error={detail.error} what={`read run ${id}`} />;
  if (!run) return <p class="muted">Loading run {id}…</p>;

  const failed = steps.find((s) => s.status === 'failed');
  const current = selected ?? failed?.name ?? steps.find((s) => s.status === 'running')?.name;
  const currentStep = steps.find((s) => s.name === current);
  const cancel = async () => {
    try {
      await api(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
      setCancelError(undefined);
      detail.reload();
    } catch (e) {
      setCancelError(e instanceof ApiError ? e : new ApiError(0, undefined, String(e)));
    }
  };

  return (
    <section aria-labelledby="run-title" data-run-status={status}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={routeHref({ page: 'runs', status: '', pipeline: '' })}>Runs</a> ›{' '}
        <a href={routeHref({ page: 'runs', status: '', pipeline: run.pipeline })}>{run.pipeline}</a>
      </nav>
      <div class="page-head">
        <h1 id="run-title">
          {run.pipeline} <StatusBadge status={status} />
        </h1>
        {status === 'running' || status === 'queued' ? (
          <button type="button" class="button danger" onClick={() => void cancel()}>
            Cancel run
          </button>
        ) : null}
      </div>
      <dl class="facts">
        <div>
          <dt>Run</dt>
          <dd>
            <code>{run.id}</code>
          </dd>
        </div>
        <div>
          <dt>Trigger</dt>
          <dd>
            {run.trigger}
            {run.parentRunId ? (
              <>
                {' '}
                of{' '}
                <a href={routeHref({ page: 'run', id: run.parentRunId, tab: 'overview' })}>
                  <code>{run.parentRunId}</code>
                </a>
                {run.trigger === 'drift' ? (
                  <>
                    {' '}
                    (<a href={routeHref({ page: 'retraining' })}>retraining</a>)
                  </>
                ) : null}
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <TimeCell at={run.startedAt ?? run.createdAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(run.durationMs ?? elapsed(run.startedAt, run.finishedAt, now))}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>
            {run.model ? (
              <a href={routeHref({ page: 'model', name: run.model.name })} data-model-link>
                {run.model.name} v{run.model.version}
              </a>
            ) : (
              <span class="muted">none</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Engine</dt>
          <dd data-engine>{engineText(run.engine ?? live.engine, run.backend)}</dd>
        </div>
        <div>
          <dt>Spec</dt>
          <dd>
            <ShortHash value={run.specHash} />
          </dd>
        </div>
      </dl>
      {run.error ? (
        <div class="notice error run-error" role="alert">
          <strong>Run {status}:</strong> {run.error.message} <code class="muted">{run.error.code}</code>
        </div>
      ) : null}
      {cancelError ? <ErrorNotice error={cancelError} what="cancel the run" /> : null}
      {streamError && status === 'running' ? (
        <p class="notice warn">Live updates interrupted ({streamError}); reconnecting…</p>
      ) : null}

      <StepGraph steps={steps} selected={current} onSelect={setSelected} />

      <nav class="tabs" aria-label="Run sections">
        {RUN_TABS.map((t) => (
          <a
            key={t}
            href={routeHref({ page: 'run', id, tab: t })}
            aria-current={t === tab ? 'page' : undefined}
          >
            {TAB_LABEL[t]}
          </a>
        ))}
      </nav>

      {tab === 'overview' ? (
        <div class="overview">
          {currentStep ? (
            <StepDetails
              runId={id}
              step={currentStep}
              outputs={run.steps.find((s) => s.name === currentStep.name)?.outputs}
              logs={live.logs[currentStep.name] ?? []}
            />
          ) : null}
          <section class="card">
            <h2>Training curves</h2>
            <TrainingCurves epochs={epochs} {...(totalEpochs ? { total: totalEpochs } : {})} />
          </section>
        </div>
      ) : null}
      {tab === 'logs' ? (
        <LogsPanel steps={steps} logs={live.logs} {...(stepParam ? { initial: stepParam } : {})} />
      ) : null}
      {tab === 'data' ? <ValidationPanel run={run} /> : null}
      {tab === 'evaluation' ? <EvaluationPanel run={run} /> : null}
      {tab === 'trials' ? <TrialsPanel run={run} /> : null}
      {tab === 'pipeline' ? (
        <pre class="log spec-text">{run.specText ?? 'The API did not send the pipeline text.'}</pre>
      ) : null}
    </section>
  );
}

/** `torch · libtorch 1.13.0 · cpu · 2 threads`, or the tfjs backend of runs before the engine port. */
function engineText(engine: EngineSummary | null | undefined, backend: string | null | undefined): string {
  if (!engine) return backend ?? '–';
  const threads =
    engine.name === 'torch' ? ` · ${engine.threads} thread${engine.threads === 1 ? '' : 's'}` : '';
  return `${engine.name} · ${engine.version} · ${engine.device}${threads}`;
}
