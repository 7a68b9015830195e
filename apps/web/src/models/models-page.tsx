import type { ModelRecord } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { ErrorNotice } from '../layout/error-notice.js';
import { TimeCell } from '../layout/time-cell.js';
import { routeHref } from '../routes/parse-route.js';

/** Registered models with their latest version and aliases. */
export function ModelsPage() {
  const res = useApi<{ models: ModelRecord[] }>('/api/models');
  const models = res.data?.models ?? [];
  return (
    <section aria-labelledby="models-title">
      <div class="page-head">
        <h1 id="models-title">Models</h1>
      </div>
      {res.error ? <ErrorNotice error={res.error} what="list models" /> : null}
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">Registered models</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" class="num">
                Latest version
              </th>
              <th scope="col">Aliases</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.name} data-model={m.name}>
                <th scope="row">
                  <a href={routeHref({ page: 'model', name: m.name })}>{m.name}</a>
                </th>
                <td class="num">{m.latestVersion ?? '–'}</td>
                <td>
                  {Object.entries(m.aliases ?? {}).map(([a, v]) => (
                    <span class="chip" key={a}>
                      {a} → v{v}
                    </span>
                  ))}
                </td>
                <td>
                  <TimeCell at={m.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {res.data && models.length === 0 ? (
        <p class="empty">No models yet: a run that passes its gates registers one.</p>
      ) : null}
    </section>
  );
}
