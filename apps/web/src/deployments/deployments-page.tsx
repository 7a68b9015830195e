import { useEffect } from 'preact/hooks';
import type { ModelDetail, ModelRecord } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { formatCount, formatNumber, formatPercent } from '../format/format-number.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { TimeCell } from '../layout/time-cell.js';
import { routeHref } from '../routes/parse-route.js';
import {
  formatLiveQuality,
  formatMs,
  formatRate,
  trafficSplit,
  type DeploymentsResponse,
  type ModelStatus,
} from './serving-status.js';

/** How often the live figures are read again (rates are over the last minute between reads). */
const POLL_MS = 10_000;

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
          </tr>
        );
      })}
    </>
  );
}

/** One served model of one model server: split, per-version figures, drift per feature. */
function ServedModel({ m }: { m: ModelStatus }) {
  const drifts = m.versions.filter((v) => v.drift);
  return (
    <div class="served-model" data-served-model={m.name}>
      <h3>
        <a href={routeHref({ page: 'model', name: m.name })}>{m.name}</a> <span class="chip">{m.alias}</span>{' '}
        <span data-split>{trafficSplit(m)}</span>
      </h3>
      {m.rollout?.lastDecision ? (
        <p class="muted">
          last canary analysis ({formatNumber(m.rollout.lastDecision.elapsedS)} s in):{' '}
          {m.rollout.lastDecision.decision}
          {m.rollout.lastDecision.reasons.length ? ` — ${m.rollout.lastDecision.reasons.join('; ')}` : ''}
        </p>
      ) : null}
      {m.lastError ? (
        <p class="notice warn">
          v{m.lastError.version} failed to load: {m.lastError.message}
        </p>
      ) : null}
      <div class="table-wrap">
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col" class="num">
                Requests
              </th>
              <th scope="col" class="num">
                Rate
              </th>
              <th scope="col" class="num">
                p95
              </th>
              <th scope="col" class="num">
                Errors
              </th>
              <th scope="col">Live quality</th>
            </tr>
          </thead>
          <tbody>
            {m.versions.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <th scope="row">
                  v{v.version} <span class="muted">{v.role}</span>
                </th>
                <td class="num">{formatCount(v.requests)}</td>
                <td class="num">{formatRate(v.ratePerS, v.rateWindowS)}</td>
                <td class="num">{formatMs(v.p95Ms)}</td>
                <td class="num">{formatPercent(v.errorRate)}</td>
                <td>{formatLiveQuality(v.feedback)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {drifts.length === 0 ? (
        <p class="muted">drift: not computed yet (threshold {formatNumber(m.driftThreshold)})</p>
      ) : (
        <div class="table-wrap">
          <table class="table compact" data-drift={m.name}>
            <caption>Drift per feature (threshold {formatNumber(m.driftThreshold)})</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Feature</th>
                <th scope="col">Metric</th>
                <th scope="col" class="num">
                  Score
                </th>
                <th scope="col" class="num">
                  Window
                </th>
              </tr>
            </thead>
            <tbody>
              {drifts.flatMap((v) =>
                (v.drift ?? []).map((d) => (
                  <tr key={`${v.version}/${d.feature}`} class={d.drifted ? 'anomalous warning' : undefined}>
                    <td>v{v.version}</td>
                    <th scope="row">{d.feature}</th>
                    <td>{d.metric}</td>
                    <td class="num">
                      {formatNumber(d.score, 3)}
                      {d.drifted ? ' drifted' : ''}
                    </td>
                    <td class="num">{formatCount(d.window)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Live figures from every model server the API knows of (`MYELIN_SERVE_URLS`), read every 10 s. */
function LiveServing() {
  const res = useApi<DeploymentsResponse>('/api/deployments');
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') res.reload();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [res.reload]);
  const servers = res.data?.servers;
  return (
    <section aria-labelledby="live-title">
      <h2 id="live-title">Live serving</h2>
      {res.error ? <ErrorNotice error={res.error} what="read the model servers" /> : null}
      {servers && servers.length === 0 ? (
        <p class="empty">no model servers configured (set MYELIN_SERVE_URLS for myelin api)</p>
      ) : null}
      {(servers ?? []).map((s) => (
        <div key={s.url} class="serve-server" data-server={s.url}>
          <h3>
            {s.url} {s.ok ? null : <span class="muted">unreachable: {s.error ?? 'no answer'}</span>}
          </h3>
          {s.ok && s.status?.models.length === 0 ? <p class="empty">serves no model</p> : null}
          {(s.status?.models ?? []).map((m) => (
            <ServedModel m={m} key={m.name} />
          ))}
        </div>
      ))}
    </section>
  );
}

/** Which alias of which model points at which version, and the model servers' live figures. */
export function DeploymentsPage() {
  const res = useApi<{ models: ModelRecord[] }>('/api/models');
  const models = (res.data?.models ?? []).filter((m) => Object.keys(m.aliases ?? {}).length > 0);
  return (
    <section aria-labelledby="deploy-title">
      <div class="page-head">
        <h1 id="deploy-title">Deployments</h1>
      </div>
      <p class="notice info">
        The serving app loads models by alias. Below: where each alias points, then what each model server
        reports live (traffic split, request rate, p95 latency, errors, accuracy or MAE from feedback, drift).
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
      <LiveServing />
    </section>
  );
}
