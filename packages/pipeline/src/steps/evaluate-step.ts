import { loadManifest } from '@myelin/artifacts';
import {
  computeMetrics,
  loadModelFromBytes,
  predictBatches,
  selectBackend,
  type EvaluationReport,
} from '@myelin/training';
import { ColumnScratch, writeColumnFeature, type Task } from '@myelin/data';
import type { StepContext } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import type { TypedStep } from './step-definition.js';
import type { EvaluateOutputs } from './step-outputs.js';
import { getJson, putJson } from '../util/json-artifacts.js';
import { spillDataset } from '../util/dataset-artifacts.js';
import { datasetRows, labelledRowIndices } from '../util/labelled-rows.js';
import { unpackFloat32 } from '../util/float-pack.js';
import { floatPackBytes } from '../util/float-pack-handoff.js';
import { evaluateGates } from '../gates/evaluate-gates.js';
import { loadModelBundle } from '../run/model-bundle.js';
import { trueLabels } from './true-labels.js';

/** The metric a champion is always compared on when no gate names one. */
function primaryMetric(task: Task): string {
  return task === 'regression' ? 'r2' : 'accuracy';
}

/**
 * Evaluates the trained model on the test split, applies the gates, and compares with the
 * model under `evaluate.compareTo` evaluated on the same test rows (through its own preprocessing).
 */
export const evaluateStep: TypedStep<'evaluate'> = {
  name: 'evaluate',
  async cacheKey() {
    return null; // the champion behind an alias can move between runs
  },
  async run(ctx: StepContext): Promise<EvaluateOutputs> {
    const { spec } = ctx;
    const task = input(ctx, 'preprocess', 'task');
    const classes = input(ctx, 'preprocess', 'classes');
    // the same backend selection as training, also when the train step came from the cache
    await selectBackend({ log: (m) => ctx.log(m) });
    const packed = unpackFloat32(await floatPackBytes(ctx.store, input(ctx, 'preprocess', 'tensors')));
    const x = packed.x_test!;
    const y = packed.y_test!;
    const n = x.shape[0]!;
    const d = x.shape[1]!;
    const model = await loadModelFromBytes({
      modelJson: await ctx.store.getBytes(input(ctx, 'train', 'modelJson')),
      weights: await ctx.store.getBytes(input(ctx, 'train', 'weights')),
    });
    const yTrue = trueLabels(task, y.data, y.shape[1]!);
    let report: EvaluationReport;
    try {
      const yPred = predictBatches(model, x.data, n, d, 256);
      report = computeMetrics(task, yTrue, yPred, classes ?? undefined);
    } finally {
      model.dispose();
    }

    let champion: Parameters<typeof evaluateGates>[2];
    if (spec.evaluate.compareTo) {
      const alias = spec.evaluate.compareTo;
      const compare = [...new Set([...Object.keys(spec.evaluate.gates), primaryMetric(task)])];
      const versionNo = await ctx.meta.resolveAlias(spec.register.model, alias);
      const version = versionNo === null ? null : await ctx.meta.getVersion(spec.register.model, versionNo);
      if (!version) {
        champion = { alias, version: null, compare, tolerance: spec.evaluate.tolerance };
        ctx.log(`compareTo: no model under alias "${alias}" yet; the comparison passes (first model)`);
      } else {
        const manifest = await loadManifest(ctx.store, version.manifestKey);
        const bundle = await loadModelBundle(ctx.store, manifest);
        try {
          // the same test rows, through the champion's own preprocessing, column by column
          const table = await spillDataset(ctx.store, input(ctx, 'ingest', 'dataset'));
          const cfp = bundle.preprocessor;
          let cx: Float32Array;
          let testRows: Int32Array;
          try {
            const labelled = labelledRowIndices(table.column(spec.data.target));
            const split = await getJson<{ test: number[] }>(ctx.store, input(ctx, 'preprocess', 'splits'));
            testRows = datasetRows(labelled, split.test);
            cx = new Float32Array(testRows.length * cfp.width);
            const scratch = new ColumnScratch();
            for (const f of cfp.features) writeColumnFeature(cfp, f, table.column(f.name, scratch), cx, { rows: testRows });
          } finally {
            table.close();
          }
          const cpred = predictBatches(bundle.model, cx, testRows.length, cfp.width, 256);
          const creport = computeMetrics(task, yTrue, cpred, classes ?? undefined);
          champion = {
            alias,
            version: version.version,
            metrics: creport.metrics,
            compare,
            tolerance: spec.evaluate.tolerance,
          };
        } finally {
          bundle.model.dispose();
        }
      }
    }
    const verdict = evaluateGates(report.metrics, spec.evaluate.gates, champion);
    for (const [name, g] of Object.entries(verdict.gates))
      ctx.log(`gate ${name}: ${g.value} ${g.bound} → ${g.passed ? 'pass' : 'FAIL'}`);
    const evaluation = { ...report, gates: verdict };
    return {
      evaluation: await putJson(ctx.store, evaluation),
      metrics: report.metrics,
      gates: verdict.gates,
      passed: verdict.passed,
      comparison: verdict.comparison ?? null,
    };
  },
};
