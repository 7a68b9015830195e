import type { Anomaly, ColumnProfile, RunDetail, ValidationReport } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { HistogramSparkline } from '../charts/histogram-sparkline.js';
import { formatCount, formatNumber, formatPercent } from '../format/format-number.js';
import { ReportUnavailable } from './report-unavailable.js';

function Range({ c }: { c: ColumnProfile }) {
  if (c.min !== undefined && c.max !== undefined) {
    return (
      <span>
        {formatNumber(c.min)} … {formatNumber(c.max)}
      </span>
    );
  }
  if (c.topValues && c.topValues.length > 0) {
    const top = c.topValues.slice(0, 3).map((t) => `${t.value} (${formatCount(t.count)})`);
    return <span title={c.topValues.map((t) => `${t.value}: ${t.count}`).join('\n')}>{top.join(', ')}</span>;
  }
  return <span class="muted">–</span>;
}

/**
 * The data validation report of a run: one row per column with its type, missing values, range
 * (or top values), distinct count and a histogram sparkline; columns with anomalies are
 * highlighted and every anomaly is listed with its rule and count.
 */
export function ValidationPanel({ run }: { run: RunDetail }) {
  const validated = run.steps.some(
    (s) => s.name === 'validate' && s.status !== 'running' && s.status !== 'pending',
  );
  const route = `/api/runs/${encodeURIComponent(run.id)}/reports/validation`;
  const res = useApi<ValidationReport>(validated ? route : null);
  const step = run.steps.find((s) => s.name === 'validate');
  if (!validated)
    return <p class="muted">The validate step has not finished{run.status === 'running' ? ' yet' : ''}.</p>;
  const outputs = step?.outputs ?? {};
  const r = res.data;
  const byColumn = new Map<string, Anomaly[]>();
  for (const a of r?.anomalies ?? []) byColumn.set(a.column, [...(byColumn.get(a.column) ?? []), a]);
  return (
    <div class="validation">
      <p>
        {r ? `${formatCount(r.rows)} rows, ${r.profile.columns.length} columns` : 'Validation'}
        {typeof outputs.anomalies === 'number'
          ? ` · ${outputs.anomalies} anomalies (${String(outputs.errors ?? 0)} errors)`
          : ''}
        {r?.task ? ` · task ${r.task}` : ''}
        {r?.targetClasses ? ` · classes ${r.targetClasses.join(', ')}` : ''}
      </p>
      {step?.error ? (
        <div class="notice error" role="alert">
          <code>{step.error.code}</code> {step.error.message}
        </div>
      ) : null}
      {res.error ? (
        <ReportUnavailable
          error={res.error}
          what="validation report (column profiles, anomalies)"
          route={route}
        />
      ) : null}
      {r && r.anomalies.length > 0 ? (
        <section class="card">
          <h3>Anomalies</h3>
          <ul class="anomalies">
            {r.anomalies.map((a, i) => (
              <li key={i} class={`anomaly ${a.severity}`}>
                <span class={`badge ${a.severity === 'error' ? 'status-failed' : 'status-cancelled'}`}>
                  {a.severity}
                </span>{' '}
                <strong>{a.column}</strong> <code>{a.rule}</code> ({formatCount(a.count)}): {a.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {r ? (
        <div class="table-wrap">
          <table class="table columns-table">
            <caption class="visually-hidden">Columns of the dataset</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Missing
                </th>
                <th scope="col" class="num">
                  Distinct
                </th>
                <th scope="col">Range / top values</th>
                <th scope="col" class="num">
                  Mean ± std
                </th>
                <th scope="col">Histogram</th>
              </tr>
            </thead>
            <tbody>
              {r.profile.columns.map((c) => {
                const anomalies = byColumn.get(c.name) ?? [];
                const sev = anomalies.some((a) => a.severity === 'error')
                  ? 'error'
                  : anomalies.length > 0
                    ? 'warning'
                    : '';
                const total = c.count + c.missing;
                return (
                  <tr key={c.name} class={sev ? `anomalous ${sev}` : ''} data-column={c.name}>
                    <th scope="row">
                      {c.name}
                      {anomalies.map((a, i) => (
                        <div class="sub" key={i}>
                          {a.severity === 'error' ? '✖' : '⚠'} {a.rule}: {a.message}
                        </div>
                      ))}
                    </th>
                    <td>{c.type}</td>
                    <td class="num">
                      {formatCount(c.missing)}{' '}
                      <span class="muted">({formatPercent(total ? c.missing / total : 0)})</span>
                    </td>
                    <td class="num">
                      {c.distinctApproximate ? '≈' : ''}
                      {formatCount(c.distinct)}
                    </td>
                    <td>
                      <Range c={c} />
                    </td>
                    <td class="num">
                      {c.mean !== undefined ? `${formatNumber(c.mean)} ± ${formatNumber(c.std ?? 0)}` : '–'}
                    </td>
                    <td>
                      {c.histogram && c.histogram.counts.length > 0 ? (
                        <HistogramSparkline edges={c.histogram.edges} counts={c.histogram.counts} />
                      ) : (
                        <span class="muted">–</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
