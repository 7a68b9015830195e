import { useApi } from '../api/use-api.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { StatusBadge } from '../layout/status-badge.js';
import { TimeCell } from '../layout/time-cell.js';
import { routeHref } from '../routes/parse-route.js';
import { describeChainEvent } from './describe-chain-event.js';
import type { RetrainTriggerView, ScheduleView } from './retraining-types.js';

function RunLink({ id }: { id: string }) {
  return (
    <a href={routeHref({ page: 'run', id, tab: 'overview' })}>
      <code>{id}</code>
    </a>
  );
}

function Chain({ t }: { t: RetrainTriggerView }) {
  if (!t.run) return <span class="muted">{t.decision === 'started' ? 'starting…' : '–'}</span>;
  const gates = Object.entries(t.run.gates);
  const item = (e: RetrainTriggerView['chain'][number], i: number) => (
    <li key={i} data-event={e.type}>
      <TimeCell at={e.ts} /> {describeChainEvent(e)}
    </li>
  );
  // in the order things happened: the start, the run and its gates, then the rollout
  return (
    <ol class="chain">
      {t.chain.filter((e) => e.type === 'retrain.started').map(item)}
      <li>
        run <RunLink id={t.run.id} /> <StatusBadge status={t.run.status} />
      </li>
      {gates.length ? (
        <li>
          gates:{' '}
          {gates.map(([name, g]) => (
            <span class={`chip ${g.passed ? 'pass' : 'fail'}`} key={name}>
              {name} {g.passed ? 'passed' : 'failed'}
            </span>
          ))}
        </li>
      ) : null}
      {t.chain.filter((e) => e.type !== 'retrain.started').map(item)}
    </ol>
  );
}

/**
 * Retraining: the pipeline schedules, and every drift event the API handled with what followed it —
 * skipped (and why), or the run it started, that run's gate verdicts, and the rollout of the version
 * it registered (candidate, promotion or rollback).
 */
export function RetrainingPage() {
  const schedules = useApi<{ schedules: ScheduleView[] }>('/api/schedules');
  const triggers = useApi<{ triggers: RetrainTriggerView[] }>('/api/retraining');
  const list = triggers.data?.triggers ?? [];
  return (
    <section aria-labelledby="retraining-title">
      <div class="page-head">
        <h1 id="retraining-title">Retraining</h1>
      </div>
      <h2 id="schedules-title">Schedules</h2>
      {schedules.error ? <ErrorNotice error={schedules.error} what="list schedules" /> : null}
      <div class="table-wrap">
        <table class="table" aria-labelledby="schedules-title">
          <thead>
            <tr>
              <th scope="col">Pipeline</th>
              <th scope="col">Cron (UTC)</th>
              <th scope="col">Next run</th>
            </tr>
          </thead>
          <tbody>
            {(schedules.data?.schedules ?? []).map((s) => (
              <tr key={s.pipeline} data-schedule={s.pipeline}>
                <th scope="row">
                  <a href={routeHref({ page: 'runs', status: '', pipeline: s.pipeline })}>{s.pipeline}</a>
                </th>
                <td>
                  <code>{s.cron}</code>
                </td>
                <td>
                  <TimeCell at={s.nextFireAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {schedules.data && schedules.data.schedules.length === 0 ? (
        <p class="empty">
          No schedules: submit a pipeline with <code>monitor.retrain.schedule</code>.
        </p>
      ) : null}

      <h2 id="drift-title">Drift events</h2>
      {triggers.error ? <ErrorNotice error={triggers.error} what="list drift events" /> : null}
      <div class="table-wrap">
        <table class="table" aria-labelledby="drift-title">
          <thead>
            <tr>
              <th scope="col">Seen</th>
              <th scope="col">Drifting version</th>
              <th scope="col">Decision</th>
              <th scope="col">What followed</th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.eventId} data-drift-event={t.eventId} data-decision={t.decision}>
                <td>
                  <TimeCell at={t.createdAt} />
                </td>
                <th scope="row">
                  <a href={routeHref({ page: 'model', name: t.model })}>
                    {t.model}@{t.version}
                  </a>
                  {t.parentRunId ? (
                    <div class="muted">
                      trained by <RunLink id={t.parentRunId} />
                    </div>
                  ) : null}
                </th>
                <td>
                  <span class={`badge decision-${t.decision}`}>{t.decision}</span>
                  <div class="muted">{t.reason}</div>
                </td>
                <td>
                  <Chain t={t} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {triggers.data && list.length === 0 ? (
        <p class="empty">
          No drift events yet: model servers record one when a feature drifts past{' '}
          <code>monitor.drift.threshold</code>; pipelines with <code>monitor.retrain.onDrift</code> retrain
          then.
        </p>
      ) : null}
    </section>
  );
}
