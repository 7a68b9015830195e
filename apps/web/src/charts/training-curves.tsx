import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import type { EpochPoint } from '../api/api-types.js';
import { formatNumber } from '../format/format-number.js';
import { curveGroups, type CurveGroup } from './curve-groups.js';
import { NumbersTable } from './numbers-table.js';
import { UplotChart } from './uplot-chart.js';

const TRAIN = '#2563eb';
const VALID = '#ea580c';

function curveOptions(g: CurveGroup): Omit<uPlot.Options, 'width' | 'height'> {
  const fmt = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : formatNumber(v));
  return {
    title: g.metric,
    scales: { x: { time: false } },
    axes: [
      {
        label: 'epoch',
        stroke: '#475569',
        grid: { stroke: '#e2e8f0' },
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      },
      { stroke: '#475569', grid: { stroke: '#e2e8f0' }, size: 56 },
    ],
    series: [
      { label: 'epoch', value: (_u, v) => (v === null ? '–' : String(v)) },
      { label: `training ${g.metric}`, stroke: TRAIN, width: 2, value: fmt, points: { show: true, size: 4 } },
      {
        label: `validation ${g.metric}`,
        stroke: VALID,
        width: 2,
        dash: [6, 3],
        value: fmt,
        points: { show: true, size: 4 },
      },
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

function Curve({ group }: { group: CurveGroup }) {
  const data = useMemo(() => [group.epochs, group.train, group.validation] as uPlot.AlignedData, [group]);
  const options = useMemo(() => curveOptions(group), [group.metric]);
  const last = group.epochs.length - 1;
  return (
    <figure class="curve" data-metric={group.metric} data-points={group.epochs.length}>
      <UplotChart
        options={options}
        data={data}
        height={220}
        label={`${group.metric} per epoch, training and validation; ${group.epochs.length} epochs; latest ${formatNumber(group.train[last])} (training), ${formatNumber(group.validation[last])} (validation)`}
      />
      <NumbersTable
        caption={`${group.metric}: numbers per epoch`}
        columns={['epoch', `training ${group.metric}`, `validation ${group.metric}`]}
        rows={group.epochs.map((e, i) => [
          e,
          formatNumber(group.train[i]),
          formatNumber(group.validation[i]),
        ])}
      />
    </figure>
  );
}

/** Loss and metrics per epoch, training and validation, one uPlot chart each; grows as epochs arrive. */
export function TrainingCurves({ epochs, total }: { epochs: EpochPoint[]; total?: number }) {
  const groups = useMemo(() => curveGroups(epochs), [epochs]);
  if (groups.length === 0) return <p class="muted">No epochs yet: curves appear as training reports them.</p>;
  const done = epochs.length;
  return (
    <div>
      <p class="muted" aria-live="polite">
        {total ? `epoch ${done} of ${total}` : `${done} epochs`}
      </p>
      <div class="curves">
        {groups.map((g) => (
          <Curve key={g.metric} group={g} />
        ))}
      </div>
    </div>
  );
}
