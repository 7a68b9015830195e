import {
  encodeTarget,
  fitPreprocessor,
  fitTargetEncoder,
  splitIndices,
  transformBatch,
  type Row,
  type Task,
  type TableReport,
} from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { StepContext, StepOutputs } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import type { StepDefinition } from './step-definition.js';
import { getJson, jsonlToRows, putJson } from '../util/json-artifacts.js';
import { packFloat32 } from '../util/float-pack.js';

/** Rows whose target is present; the split and everything after it works on these. */
export function labelledRows(rows: Row[], target: string): Row[] {
  return rows.filter(
    (r) =>
      r[target] !== null &&
      r[target] !== undefined &&
      !(typeof r[target] === 'number' && !Number.isFinite(r[target])),
  );
}

/** The deterministic split of the labelled rows, as the spec asks. */
export function splitFor(ctx: StepContext, rows: Row[], task: Task) {
  const { split, target } = ctx.spec.data;
  const labels =
    task === 'regression' ? undefined : rows.map((r) => r[target] as string | number | boolean | null);
  return splitIndices(labels ? { n: rows.length, labels } : { n: rows.length }, split);
}

/**
 * Splits the data (seeded, stratified for classification), fits the preprocessing and the target
 * encoder on the training split only, and stores the encoded splits as one float32 artifact.
 */
export const preprocessStep: StepDefinition = {
  name: 'preprocess',
  async cacheKey(ctx) {
    return {
      preprocess: ctx.spec.preprocess,
      split: ctx.spec.data.split,
      shape: ctx.spec.data.shape ?? null,
      features: ctx.spec.data.features ?? null,
    };
  },
  async run(ctx: StepContext): Promise<StepOutputs> {
    const { spec } = ctx;
    const target = spec.data.target;
    const report = await getJson<TableReport>(ctx.store, input<string>(ctx, 'validate', 'report'));
    const task = (input<Task | null>(ctx, 'validate', 'task') ?? 'multiclass') as Task;
    const all = jsonlToRows(await ctx.store.getBytes(input<string>(ctx, 'ingest', 'dataset')));
    const rows = labelledRows(all, target);
    if (rows.length < all.length) ctx.log(`dropped ${all.length - rows.length} rows without a target value`);
    const features =
      spec.data.features ?? report.schema.columns.map((c) => c.name).filter((n) => n !== target);
    const split = splitFor(ctx, rows, task);
    if (split.train.length === 0 || split.test.length === 0) {
      throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `too few labelled rows (${rows.length}) for the split`, {
        path: 'data.split',
      });
    }
    const pick = (idx: number[]) => idx.map((i) => rows[i]!);
    const trainRows = pick(split.train);
    const fp = fitPreprocessor(trainRows, { features, schema: report.schema, config: spec.preprocess });
    const te = fitTargetEncoder(
      trainRows.map((r) => r[target] ?? null),
      task,
    );
    const arrays: Record<string, { data: Float32Array; shape: number[] }> = {};
    let cols = 0;
    let ycols = 1;
    for (const part of ['train', 'validation', 'test'] as const) {
      const partRows = pick(split[part]);
      const x = transformBatch(fp, partRows);
      const y = encodeTarget(
        te,
        partRows.map((r) => r[target] ?? null),
      );
      cols = x.cols;
      ycols = y.cols;
      arrays[`x_${part}`] = { data: x.data, shape: [x.rows, x.cols] };
      arrays[`y_${part}`] = { data: y.data, shape: [x.rows, y.cols] };
    }
    const tensors = await ctx.store.put(packFloat32(arrays), { contentType: 'application/octet-stream' });
    const shape = spec.data.shape ?? [cols];
    const expected = shape.reduce((a, b) => a * b, 1);
    if (expected !== cols) {
      throw new MyelinError(
        'MYELIN_ERR_SPEC_INVALID',
        `data.shape ${JSON.stringify(shape)} holds ${expected} values but the encoded rows have ${cols}`,
        { file: ctx.loaded.file, path: 'data.shape' },
      );
    }
    ctx.log(
      `split train/validation/test = ${split.train.length}/${split.validation.length}/${split.test.length}; ${cols} encoded features`,
    );
    return {
      preprocessor: await putJson(ctx.store, fp),
      targetEncoder: await putJson(ctx.store, te),
      splits: await putJson(ctx.store, split),
      tensors: tensors.key,
      task,
      inputShape: shape,
      outputs: ycols,
      classes: 'classes' in te ? te.classes : null,
      sizes: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    };
  },
};
