import type { ModelDetail } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { formatNumber } from '../format/format-number.js';
import { formatDateTime } from '../format/format-time.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { ShortHash } from '../layout/short-hash.js';
import { TimeCell } from '../layout/time-cell.js';
import { routeHref } from '../routes/parse-route.js';
import { MoveAliasForm } from './move-alias-form.js';
import { VerifyButton } from './verify-button.js';

/** One model: aliases and their history, and every version with metrics, gates and lineage. */
export function ModelPage({ name }: { name: string }) {
  const res = useApi<ModelDetail>(`/api/models/${encodeURIComponent(name)}`);
  const m = res.data;
  if (res.error && !m) return <ErrorNotice error={res.error} what={`read model ${name}`} />;
  if (!m) return <p class="muted">Loading model {name}…</p>;
  const versions = [...m.versions].sort((a, b) => b.version - a.version);
  const metricNames = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].filter((k) =>
    ['accuracy', 'f1', 'auroc', 'logLoss', 'ece', 'rmse', 'mae', 'r2'].includes(k),
  );
  const history = [...(m.aliasHistory ?? [])].reverse();
  return (
    <section aria-labelledby="model-title">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={routeHref({ page: 'models' })}>Models</a>
      </nav>
      <div class="page-head">
        <h1 id="model-title">{m.name}</h1>
      </div>
      <div class="grid-2">
        <section class="card" aria-labelledby="aliases-title">
          <h2 id="aliases-title">Aliases</h2>
          {Object.keys(m.aliases).length === 0 ? (
            <p class="muted">No aliases.</p>
          ) : (
            <ul class="alias-list">
              {Object.entries(m.aliases).map(([a, v]) => (
                <li key={a} data-alias={a} data-version={v}>
                  <span class="chip">{a}</span> → version {v}
                </li>
              ))}
            </ul>
          )}
          <MoveAliasForm
            model={m.name}
            versions={versions.map((v) => v.version).reverse()}
            aliases={Object.keys(m.aliases)}
            onMoved={res.reload}
          />
        </section>
        <section class="card" aria-labelledby="history-title">
          <h2 id="history-title">Alias history</h2>
          {history.length === 0 ? (
            <p class="muted">No alias moves yet.</p>
          ) : (
            <div class="table-wrap">
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Alias</th>
                    <th scope="col">Move</th>
                    <th scope="col">Who</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((h, i) => (
                    <tr key={i}>
                      <td>
                        <TimeCell at={h.at} />
                      </td>
                      <td>{h.alias}</td>
                      <td>
                        {h.fromVersion === null ? 'set' : `v${h.fromVersion}`} →{' '}
                        {h.toVersion === null ? 'removed' : `v${h.toVersion}`}
                      </td>
                      <td>{h.who}</td>
                      <td>{h.why}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
      <h2>Versions</h2>
      <div class="table-wrap">
        <table class="table versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Aliases</th>
              {metricNames.map((k) => (
                <th scope="col" class="num" key={k}>
                  {k}
                </th>
              ))}
              <th scope="col">Gates</th>
              <th scope="col">Lineage</th>
              <th scope="col">Integrity</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const gates = Object.entries(v.gates);
              const passed = gates.filter(([, g]) => g.passed).length;
              return (
                <tr key={v.version} data-version={v.version}>
                  <th scope="row">
                    v{v.version}
                    <div class="sub" title={formatDateTime(v.createdAt)}>
                      <TimeCell at={v.createdAt} />
                    </div>
                  </th>
                  <td>
                    {v.aliases.map((a) => (
                      <span class="chip" key={a}>
                        {a}
                      </span>
                    ))}
                  </td>
                  {metricNames.map((k) => (
                    <td class="num" key={k}>
                      {formatNumber(v.metrics[k])}
                    </td>
                  ))}
                  <td
                    title={gates
                      .map(
                        ([n, g]) => `${n}: ${formatNumber(g.value)} ${g.bound} ${g.passed ? 'pass' : 'fail'}`,
                      )
                      .join('\n')}
                  >
                    {gates.length === 0 ? '–' : `${passed}/${gates.length} passed`}
                  </td>
                  <td class="lineage">
                    <div>
                      run <a href={routeHref({ page: 'run', id: v.runId, tab: 'overview' })}>{v.runId}</a>
                    </div>
                    <div>
                      data <ShortHash value={v.dataHash} /> · spec <ShortHash value={v.specHash} />
                    </div>
                    <div>
                      code <code>{v.codeVersion}</code>
                    </div>
                  </td>
                  <td>
                    <VerifyButton model={m.name} version={v.version} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
