import type { TrialView } from '../api/api-types.js';

const W = 520;
const H = 260;
const PAD = { left: 56, right: 16, top: 12, bottom: 40 };

/** Where a value falls in [0, 1] on a linear or (for ranges over 20x of positive values) log axis. */
function axis(values: number[]): { at: (v: number) => number; log: boolean; lo: number; hi: number } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const log = lo > 0 && hi / lo > 20;
  const f = (v: number) => (log ? Math.log(v) : v);
  const span = f(hi) - f(lo) || 1;
  return { at: (v) => (f(v) - f(lo)) / span, log, lo, hi };
}

/**
 * The trials of a search as a scatter: one numeric parameter across, the objective up; the best
 * trial ringed, trials without an objective (pruned, failed) along the bottom in grey.
 */
export function TrialsScatter({
  trials,
  param,
  metric,
  best,
}: {
  trials: TrialView[];
  param: string;
  metric: string;
  best: number | null;
}) {
  const points = trials.filter((t) => typeof t.params[param] === 'number');
  if (points.length === 0) return <p class="muted">No numeric values of {param}.</p>;
  const x = axis(points.map((t) => t.params[param] as number));
  const scored = points.filter((t) => t.metric !== null);
  const y = axis(scored.length ? scored.map((t) => t.metric as number) : [0, 1]);
  const px = (v: number) => PAD.left + x.at(v) * (W - PAD.left - PAD.right);
  const py = (v: number | null) =>
    v === null ? H - PAD.bottom : H - PAD.bottom - y.at(v) * (H - PAD.top - PAD.bottom);
  return (
    <svg
      class="trials-scatter"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${metric} by ${param}, one point per trial`}
    >
      <line
        x1={PAD.left}
        y1={H - PAD.bottom}
        x2={W - PAD.right}
        y2={H - PAD.bottom}
        stroke="currentColor"
        stroke-opacity="0.4"
      />
      <line
        x1={PAD.left}
        y1={PAD.top}
        x2={PAD.left}
        y2={H - PAD.bottom}
        stroke="currentColor"
        stroke-opacity="0.4"
      />
      <text x={PAD.left} y={H - 8} font-size="11">
        {x.lo.toPrecision(3)}
      </text>
      <text x={W - PAD.right} y={H - 8} font-size="11" text-anchor="end">
        {x.hi.toPrecision(3)}
      </text>
      <text x={(W + PAD.left) / 2} y={H - 8} font-size="11" text-anchor="middle">
        {param}
        {x.log ? ' (log)' : ''}
      </text>
      <text x={8} y={PAD.top + 10} font-size="11">
        {y.hi.toPrecision(3)}
      </text>
      <text x={8} y={H - PAD.bottom} font-size="11">
        {y.lo.toPrecision(3)}
      </text>
      <text x={8} y={(H - PAD.bottom + PAD.top) / 2} font-size="11">
        {metric}
      </text>
      {points.map((t) => (
        <circle
          key={t.index}
          data-trial={t.index}
          cx={px(t.params[param] as number)}
          cy={py(t.metric)}
          r={t.index === best ? 7 : 4}
          fill={t.metric === null ? 'grey' : 'var(--accent, #3b6fd8)'}
          fill-opacity={t.metric === null ? 0.5 : 0.8}
          stroke={t.index === best ? 'currentColor' : 'none'}
          stroke-width="2"
        >
          <title>{`trial ${t.index + 1}: ${t.status}${t.metric !== null ? `, ${metric} ${t.metric.toFixed(4)}` : ''}`}</title>
        </circle>
      ))}
    </svg>
  );
}
