import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import type { EvaluationReport } from '../api/api-types.js';
import { formatCount, formatNumber } from '../format/format-number.js';
import { NumbersTable } from './numbers-table.js';
import { UplotChart } from './uplot-chart.js';

type Bin = NonNullable<EvaluationReport['reliability']>[number];

/**
 * Calibration: accuracy per confidence bin (bars, empty bins left out) against perfect calibration
 * (the diagonal), with a table of every bin's count, confidence and accuracy.
 */
export function ReliabilityDiagram({ bins }: { bins: Bin[] }) {
  const data = useMemo(() => {
    const x = bins.map((b) => (b.lower + b.upper) / 2);
    return [
      x,
      x.map((v) => v),
      bins.map((b) => (b.count > 0 ? b.accuracy : null)),
      bins.map((b) => (b.count > 0 ? b.confidence : null)),
    ] as uPlot.AlignedData;
  }, [bins]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => {
    const fmt = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : formatNumber(v, 3));
    return {
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [
        { label: 'confidence', stroke: '#475569', grid: { stroke: '#e2e8f0' } },
        { label: 'accuracy', stroke: '#475569', grid: { stroke: '#e2e8f0' } },
      ],
      series: [
        { label: 'bin centre', value: fmt },
        {
          label: 'perfect calibration',
          stroke: '#94a3b8',
          dash: [4, 4],
          width: 1,
          value: fmt,
          points: { show: false },
        },
        {
          label: 'accuracy',
          stroke: '#1d4ed8',
          fill: 'rgba(37, 99, 235, 0.35)',
          value: fmt,
          paths: uPlot.paths.bars!({ size: [0.9, 80], align: 0 }),
          points: { show: false },
        },
        {
          label: 'mean confidence',
          stroke: '#ea580c',
          width: 0,
          value: fmt,
          points: { show: true, size: 6, fill: '#ea580c' },
        },
      ],
      cursor: { drag: { x: false, y: false } },
    };
  }, [bins.length]);
  return (
    <figure class="reliability">
      <UplotChart
        options={options}
        data={data}
        height={260}
        label="Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration"
      />
      <NumbersTable
        caption="Calibration: numbers per bin"
        columns={['confidence bin', 'samples', 'mean confidence', 'accuracy']}
        rows={bins.map((b) => [
          `${formatNumber(b.lower, 3)}–${formatNumber(b.upper, 3)}`,
          formatCount(b.count),
          b.count ? formatNumber(b.confidence, 3) : '–',
          b.count ? formatNumber(b.accuracy, 3) : '–',
        ])}
      />
    </figure>
  );
}
