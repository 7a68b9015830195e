import { formatCount, formatPercent } from '../format/format-number.js';
import { heatColor } from './heat-color.js';

/**
 * The confusion matrix as a heat map: a table (rows = true class, columns = predicted class) whose
 * cells are shaded by the share of their row, with the count and share written in each cell.
 */
export function ConfusionHeatmap({ matrix, classes }: { matrix: number[][]; classes: string[] }) {
  const label = (i: number) => classes[i] ?? String(i);
  return (
    <div class="table-wrap">
      <table class="heatmap" aria-label="Confusion matrix: rows are true classes, columns predicted classes">
        <thead>
          <tr>
            <th scope="col" class="corner">
              true ↓ predicted →
            </th>
            {matrix.map((_, j) => (
              <th scope="col" key={j}>
                {label(j)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={i}>
                <th scope="row">{label(i)}</th>
                {row.map((n, j) => {
                  const share = total > 0 ? n / total : 0;
                  const c = heatColor(share);
                  return (
                    <td
                      key={j}
                      class={i === j ? 'diag' : ''}
                      style={{ background: c.background, color: c.color }}
                      title={`true ${label(i)}, predicted ${label(j)}: ${n} (${formatPercent(share)} of ${label(i)})`}
                    >
                      <span class="count">{formatCount(n)}</span>
                      <span class="share">{formatPercent(share)}</span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
