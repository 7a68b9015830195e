import { formatNumber } from '../format/format-number.js';

/** Test metrics as a two-column table, in a stable order (the familiar ones first). */
const ORDER = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'macroF1',
  'auroc',
  'logLoss',
  'ece',
  'mse',
  'rmse',
  'mae',
  'r2',
];

export function MetricsTable({ metrics, caption }: { metrics: Record<string, number>; caption: string }) {
  const names = Object.keys(metrics).sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  if (names.length === 0) return <p class="muted">No test metrics (the evaluate step did not run).</p>;
  return (
    <div class="table-wrap">
      <table class="table compact metrics-table">
        <caption>{caption}</caption>
        <tbody>
          {names.map((n) => (
            <tr key={n} data-metric={n}>
              <th scope="row">{n}</th>
              <td class="num">{formatNumber(metrics[n])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
