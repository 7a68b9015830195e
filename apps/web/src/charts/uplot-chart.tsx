import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UplotChartProps {
  /** uPlot options without the size: the chart takes its container's width. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  /** What the chart shows, for screen readers (the numbers are in a table or the legend). */
  label: string;
  class?: string;
}

/**
 * A uPlot chart that fills its container's width, follows resizes, and takes new data without
 * being rebuilt (so live curves grow point by point). New options (other series) rebuild it.
 */
export function UplotChart({ options, data, height, label, class: cls }: UplotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const seriesKey = options.series.map((s) => s.label ?? '').join('|');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(120, Math.floor(el.clientWidth || 300));
    const u = new uPlot({ ...options, width, height } as uPlot.Options, data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(120, Math.floor(el.clientWidth));
      if (w !== u.width) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // rebuilt only when the series or the height change; data goes through setData below
  }, [seriesKey, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={box} class={`chart ${cls ?? ''}`} role="img" aria-label={label} />;
}
