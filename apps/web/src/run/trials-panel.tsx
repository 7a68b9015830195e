import { useState } from 'preact/hooks';
import type { RunDetail, TrialsResponse } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { TrialsScatter } from '../charts/trials-scatter.js';

const show = (v: number | string | boolean) =>
  typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : String(v);

/** The hyperparameter-search trials of a run: a scatter of the objective by one parameter, and every trial in a table. */
export function TrialsPanel({ run }: { run: RunDetail }) {
  const res = useApi<TrialsResponse>(`/api/runs/${encodeURIComponent(run.id)}/trials`);
  const data = res.data;
  const numeric = data
    ? Object.keys(data.trials[0]?.params ?? {}).filter((k) => typeof data.trials[0]?.params[k] === 'number')
    : [];
  const [param, setParam] = useState<string | null>(null);
  if (!data)
    return <p class="muted">{res.error ? `Trials unavailable: ${res.error.message}` : 'Loading trials…'}</p>;
  if (data.trials.length === 0)
    return <p class="muted">This run has no tune trials{run.status === 'running' ? ' yet' : ''}.</p>;
  const chosen = param ?? numeric[0] ?? null;
  const metric = data.tune?.metric ?? 'objective';
  const best = data.tune?.bestTrial ?? null;
  return (
    <div class="trials">
      <section class="card">
        <h3>
          {data.trials.length} trials, {metric} ({data.tune?.direction ?? 'max'}) on the validation split
        </h3>
        {numeric.length > 1 ? (
          <label>
            across:{' '}
            <select value={chosen ?? ''} onChange={(e) => setParam((e.target as HTMLSelectElement).value)}>
              {numeric.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {chosen ? <TrialsScatter trials={data.trials} param={chosen} metric={metric} best={best} /> : null}
      </section>
      <table class="trials-table">
        <thead>
          <tr>
            <th>trial</th>
            <th>status</th>
            <th>{metric}</th>
            <th>epochs</th>
            {Object.keys(data.trials[0]?.params ?? {}).map((k) => (
              <th key={k}>{k}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.trials.map((t) => (
            <tr key={t.index} aria-current={t.index === best ? 'true' : undefined}>
              <td>
                {t.index + 1}
                {t.index === best ? ' (best)' : ''}
              </td>
              <td>{t.status}</td>
              <td>{t.metric === null ? '–' : t.metric.toFixed(4)}</td>
              <td>{t.epochsRun}</td>
              {Object.values(t.params).map((v, i) => (
                <td key={i}>{show(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
