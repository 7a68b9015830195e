import type { EvaluationReport, RunDetail } from '../api/api-types.js';
import { useApi } from '../api/use-api.js';
import { ConfusionHeatmap } from '../charts/confusion-heatmap.js';
import { ReliabilityDiagram } from '../charts/reliability-diagram.js';
import { formatCount, formatNumber } from '../format/format-number.js';
import { GatesTable } from './gates-table.js';
import { MetricsTable } from './metrics-table.js';
import { ReportUnavailable } from './report-unavailable.js';

/**
 * The evaluation of a run: test metrics, gate verdicts (with bounds and the champion comparison)
 * from the run record, and from the stored evaluation report the per-class scores, the confusion
 * matrix as a heat map and the reliability diagram.
 */
export function EvaluationPanel({ run }: { run: RunDetail }) {
  const evaluated = run.steps.some(
    (s) =>
      s.name === 'evaluate' && (s.status === 'succeeded' || s.status === 'failed' || s.status === 'cached'),
  );
  const route = `/api/runs/${encodeURIComponent(run.id)}/reports/evaluation`;
  const report = useApi<EvaluationReport>(evaluated ? route : null);
  const r = report.data;
  const metrics = r?.metrics ?? run.metrics?.test ?? {};
  const gates = run.gates && Object.keys(run.gates).length > 0 ? run.gates : (r?.gates?.gates ?? {});
  const comparison = run.comparison ?? r?.gates?.comparison ?? null;
  if (!evaluated)
    return (
      <p class="muted">
        The evaluate step has not run{run.status === 'running' || run.status === 'queued' ? ' yet' : ''}.
      </p>
    );
  return (
    <div class="evaluation">
      <div class="grid-2">
        <section class="card">
          <h3>Test metrics</h3>
          <MetricsTable
            metrics={metrics}
            caption={r ? `${r.task}, ${formatCount(r.n)} test samples` : 'on the test split'}
          />
        </section>
        <section class="card">
          <h3>Gates</h3>
          <GatesTable gates={gates} comparison={comparison} />
        </section>
      </div>
      {report.error ? (
        <ReportUnavailable
          error={report.error}
          what="evaluation report (confusion matrix, calibration, per class)"
          route={route}
        />
      ) : null}
      {r?.confusionMatrix && r.confusionMatrix.length > 0 ? (
        <div class="grid-2">
          <section class="card">
            <h3>Confusion matrix</h3>
            <ConfusionHeatmap matrix={r.confusionMatrix} classes={r.classes ?? []} />
          </section>
          {r.reliability && r.reliability.length > 0 ? (
            <section class="card">
              <h3>Calibration (reliability)</h3>
              <ReliabilityDiagram bins={r.reliability} />
            </section>
          ) : null}
        </div>
      ) : null}
      {r?.perClass && r.perClass.length > 0 ? (
        <section class="card">
          <h3>Per class</h3>
          <div class="table-wrap">
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col" class="num">
                    Precision
                  </th>
                  <th scope="col" class="num">
                    Recall
                  </th>
                  <th scope="col" class="num">
                    F1
                  </th>
                  <th scope="col" class="num">
                    Support
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.perClass.map((c) => (
                  <tr key={c.label}>
                    <th scope="row">{c.label}</th>
                    <td class="num">{formatNumber(c.precision)}</td>
                    <td class="num">{formatNumber(c.recall)}</td>
                    <td class="num">{formatNumber(c.f1)}</td>
                    <td class="num">{formatCount(c.support)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
