import type { ModelDetail, ModelRecord } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { formatNumber } from '../format/format-number.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { TimeCell } from '../layout/time-cell.js';
import { routeHref } from '../routes/parse-route.js';

function ModelAliases({ name }: { name: string }) {
  const res = useApi<ModelDetail>(`/api/models/${encodeURIComponent(name)}`);
  const m = res.data;
  if (res.error) return <ErrorNotice error={res.error} what={`read ${name}`} />;
  if (!m) return null;
  const entries = Object.entries(m.aliases);
  const lastMove = (alias: string) => [...(m.aliasHistory ?? [])].reverse().find((h) => h.alias === alias);
  return (
    <>
      {entries.map(([alias, version]) => {
        const v = m.versions.find((x) => x.version === version);
        const moved = lastMove(alias);
        const key =
          v?.metrics.accuracy !== undefined ? 'accuracy' : v?.metrics.r2 !== undefined ? 'r2' : undefined;
        return (
          <tr key={`${name}/${alias}`} data-deployment={`${name}:${alias}`}>
            <th scope="row">
              <a href={routeHref({ page: 'model', name })}>{name}</a>
            </th>
            <td>
              <span class="chip">{alias}</span>
            </td>
            <td>v{version}</td>
            <td class="num">{key && v ? `${key} ${formatNumber(v.metrics[key])}` : '–'}</td>
            <td>{moved ? <TimeCell at={moved.at} /> : '–'}</td>
            <td class="muted">not reported yet</td>
          </tr>
        );
      })}
    </>
  );
}

/**
 * Which alias of which model points at which version. Live serving figures (traffic, latency,
 * errors, drift) come from the serving app, which is not wired to this page yet.
 */
export function DeploymentsPage() {
  const res = useApi<{ models: ModelRecord[] }>('/api/models');
  const models = (res.data?.models ?? []).filter((m) => Object.keys(m.aliases ?? {}).length > 0);
  return (
    <section aria-labelledby="deploy-title">
      <div class="page-head">
        <h1 id="deploy-title">Deployments</h1>
      </div>
      <p class="notice info">
        The serving app loads models by alias. This panel shows where each alias points; live serving figures
        (requests, latency, errors, drift, canary split) will appear here once the serving app reports them.
      </p>
      {res.error ? <ErrorNotice error={res.error} what="list models" /> : null}
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Alias</th>
              <th scope="col">Version</th>
              <th scope="col" class="num">
                Test metric
              </th>
              <th scope="col">Since</th>
              <th scope="col">Serving health</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <ModelAliases name={m.name} key={m.name} />
            ))}
          </tbody>
        </table>
      </div>
      {res.data && models.length === 0 ? <p class="empty">No model has an alias yet.</p> : null}
    </section>
  );
}
