import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, ServingMetrics } from './serving-metrics.js';

const deploy = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../deploy/${path}`, import.meta.url)), 'utf8');
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

/** Metric names a text uses, histogram series folded back onto their metric. */
function usedMetrics(text: string, histograms: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const [name] of text.matchAll(/myelin_serving_[a-z0-9_]+/g)) {
    const base = name.replace(HISTOGRAM_SERIES, '');
    out.add(histograms.has(base) ? base : name);
  }
  return out;
}

describe('deploy/ dashboards and alert rules', async () => {
  const metrics = new ServingMetrics();
  const exported = new Set(Object.values(METRIC_NAMES));
  const all = await metrics.registry.getMetricsAsJSON();
  const histograms = new Set(all.filter((m) => String(m.type) === 'histogram').map((m) => m.name));

  it('the registry exports exactly the documented names', () => {
    expect(new Set(all.map((m) => m.name))).toEqual(exported);
  });

  it.each(['grafana/myelin-serving-dashboard.json', 'prometheus/myelin-serving-alerts.yml'])(
    '%s uses only exported metrics',
    (file) => {
      const text = deploy(file);
      const used = usedMetrics(text, histograms);
      expect(used.size).toBeGreaterThan(3);
      for (const name of used) expect(exported, `${file} uses ${name}`).toContain(name);
    },
  );

  it('the dashboard imports with a data-source picker (__inputs) and refreshes its variable on load', () => {
    const dash = JSON.parse(deploy('grafana/myelin-serving-dashboard.json')) as {
      __inputs: { name: string; type: string; pluginId: string }[];
      templating: { list: { name: string; refresh?: number; datasource?: { uid: string } }[] };
      panels: { datasource: { type: string; uid: string } }[];
    };
    expect(dash.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
    for (const p of dash.panels)
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
    const model = dash.templating.list.find((v) => v.name === 'model')!;
    expect(model.refresh).toBe(1); // 1 = on dashboard load
    expect(model.datasource?.uid).toBe('${DS_PROMETHEUS}');
  });

  it('the dashboard is valid JSON and the alerts cover latency SLO (5 m), errors and drift', () => {
    const dash = JSON.parse(deploy('grafana/myelin-serving-dashboard.json')) as { panels: unknown[] };
    expect(dash.panels.length).toBeGreaterThan(8);
    const rules = deploy('prometheus/myelin-serving-alerts.yml');
    expect(rules).toMatch(
      /alert: MyelinServingLatencyP95OverSlo[\s\S]*?histogram_quantile\(0\.95[\s\S]*?for: 5m/,
    );
    expect(rules).toMatch(/alert: MyelinServingErrorRate/);
    expect(rules).toMatch(/alert: MyelinServingFeatureDrift/);
    expect(rules).toMatch(/alert: MyelinServingModelNotReady[\s\S]*?myelin_serving_model_ready == 0/);
  });
});
