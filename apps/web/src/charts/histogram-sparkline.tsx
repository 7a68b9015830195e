import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import { formatCount, formatNumber } from '../format/format-number.js';
import { UplotChart } from './uplot-chart.js';

/** A column's histogram as a tiny bar chart; its bins and counts are in the tooltip and label. */
export function HistogramSparkline({ edges, counts }: { edges: number[]; counts: number[] }) {
  const data = useMemo(() => [counts.map((_, i) => i), counts] as uPlot.AlignedData, [counts]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, counts.length - 0.5] },
        y: { range: [0, Math.max(1, ...counts)] },
      },
      axes: [{ show: false }, { show: false }],
      series: [
        {},
        {
          stroke: '#2563eb',
          fill: 'rgba(37, 99, 235, 0.55)',
          paths: uPlot.paths.bars!({ size: [0.9, 40] }),
          points: { show: false },
        },
      ],
      padding: [2, 0, 0, 0],
    }),
    [counts.length],
  );
  const text = counts
    .map((c, i) => `${formatNumber(edges[i])}–${formatNumber(edges[i + 1])}: ${formatCount(c)}`)
    .join('; ');
  return (
    <div class="sparkline" title={text}>
      <UplotChart options={options} data={data} height={32} label={`Histogram: ${text}`} />
    </div>
  );
}
