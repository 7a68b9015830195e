import type { ChampionComparison, GateResult } from '../api/api-types.js';
import { formatNumber } from '../format/format-number.js';

/** Gate verdicts with their bounds, and the comparison with the champion when there was one. */
export function GatesTable({
  gates,
  comparison,
}: {
  gates: Record<string, GateResult>;
  comparison: ChampionComparison | null | undefined;
}) {
  const names = Object.keys(gates);
  return (
    <div>
      {names.length === 0 ? (
        <p class="muted">No gates: the pipeline sets no evaluate.gates.</p>
      ) : (
        <div class="table-wrap">
          <table class="table gates">
            <caption class="visually-hidden">Gates</caption>
            <thead>
              <tr>
                <th scope="col">Gate</th>
                <th scope="col" class="num">
                  Value
                </th>
                <th scope="col">Bound</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {names.map((n) => {
                const g = gates[n]!;
                return (
                  <tr key={n} data-gate={n} data-passed={String(g.passed)}>
                    <th scope="row">{n}</th>
                    <td class="num">{formatNumber(g.value)}</td>
                    <td>
                      <code>{g.bound}</code>
                    </td>
                    <td>
                      <span class={`badge ${g.passed ? 'status-succeeded' : 'status-failed'}`}>
                        {g.passed ? 'pass' : 'fail'}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {comparison ? (
        <div class="comparison">
          <h4>
            Against the champion <code>{comparison.alias}</code>
            {comparison.version !== null ? ` (version ${comparison.version})` : ''}
          </h4>
          <p class="muted">{comparison.note}</p>
          {Object.keys(comparison.metrics).length > 0 ? (
            <div class="table-wrap">
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col" class="num">
                      This run
                    </th>
                    <th scope="col" class="num">
                      Champion
                    </th>
                    <th scope="col">Better is</th>
                    <th scope="col">Verdict</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(comparison.metrics).map(([m, c]) => (
                    <tr key={m}>
                      <th scope="row">{m}</th>
                      <td class="num">{formatNumber(c.candidate)}</td>
                      <td class="num">{formatNumber(c.champion)}</td>
                      <td>{c.direction}</td>
                      <td>
                        <span class={`badge ${c.passed ? 'status-succeeded' : 'status-failed'}`}>
                          {c.passed ? 'pass' : 'fail'}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
