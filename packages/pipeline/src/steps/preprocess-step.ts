import {
  checkTargetOnRows,
  distinctCellIds,
  ColumnScratch,
  encodeTargetOnRows,
  fitPreprocessorColumns,
  fitTargetEncoderOnRows,
  targetWidth,
  splitIndices,
  FeatureBlockWriter,
  type ColumnVector,
  type RowsOfColumn,
  type SplitResult,
  type ColumnTable,
  type FittedPreprocessor,
  type TargetEncoder,
  type Task,
  type TableReport,
} from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { StepContext } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import type { TypedStep } from './step-definition.js';
import type { PreprocessOutputs } from './step-outputs.js';
import { getJson, putJson } from '../util/json-artifacts.js';
import { datasetColumns } from '../util/dataset-columns.js';
import { allocateFloatPack } from '../util/float-pack-layout.js';
import { keepFloatPack } from '../util/float-pack-handoff.js';
import { datasetRows, labelledRowIndices } from '../util/labelled-rows.js';

const PARTS = ['train', 'validation', 'test'] as const;
/** Output columns written together (see `featureBlocks`)… */
const BLOCK_WIDTH = 64;
/** …in blocks of at most this many bytes. */
const BLOCK_BYTES = 32 << 20;

/**
 * The deterministic split of the labelled rows (`rows` of the target column), as the spec asks:
 * stratified by their target's class unless the task is regression.
 */
export function splitFor(
  ctx: StepContext,
  target: ColumnVector,
  rows: ArrayLike<number>,
  task: Task,
): SplitResult {
  const { split } = ctx.spec.data;
  const n = rows.length;
  return splitIndices(task === 'regression' ? { n } : { n, groups: distinctCellIds(target, rows) }, split);
}

/**
 * Splits the data (seeded, stratified for classification), fits the preprocessing and the target
 * encoder on the training split only, and stores the encoded splits as one float32 pack. The
 * dataset is read a whole column at a time (`datasetColumns`: from the stored Arrow parts in
 * place, or from column files it was streamed into once) and worked on one column at a time: no object per row, one column in memory, and the matrices written straight
 * into the pack's bytes (the pack is the only thing that grows with the table).
 */
export const preprocessStep: TypedStep<'preprocess'> = {
  name: 'preprocess',
  async cacheKey(ctx) {
    return {
      preprocess: ctx.spec.preprocess,
      split: ctx.spec.data.split,
      shape: ctx.spec.data.shape ?? null,
      features: ctx.spec.data.features ?? null,
    };
  },
  async run(ctx: StepContext): Promise<PreprocessOutputs> {
    const report = await getJson<TableReport>(ctx.store, input(ctx, 'validate', 'report'));
    const task = input(ctx, 'validate', 'task') ?? 'multiclass';
    const table = await datasetColumns(ctx.store, input(ctx, 'ingest', 'dataset'));
    let encoded: Encoded;
    try {
      encoded = encodeSplits(ctx, table, report, task);
    } finally {
      table.close();
    }
    const { split, fp, te, pack, cols, ycols, shape } = encoded;
    // four independent artifacts, each flushed to disk before its put resolves: written together,
    // so the small ones' flushes overlap the pack's (hundreds of MB on a tall table)
    const [tensors, preprocessor, targetEncoder, splits] = await Promise.all([
      ctx.store.put(pack.bytes, { contentType: 'application/octet-stream' }),
      putJson(ctx.store, fp),
      putJson(ctx.store, te),
      putJson(ctx.store, split),
    ]);
    // the train step of this process takes these bytes instead of reading a second copy
    keepFloatPack(tensors.key, pack.bytes);
    ctx.log(
      `split train/validation/test = ${split.train.length}/${split.validation.length}/${split.test.length}; ${cols} encoded features`,
    );
    return {
      preprocessor,
      targetEncoder,
      splits,
      tensors: tensors.key,
      task,
      inputShape: shape,
      outputs: ycols,
      classes: 'classes' in te ? te.classes : null,
      sizes: { train: split.train.length, validation: split.validation.length, test: split.test.length },
    };
  },
};

interface Encoded {
  split: SplitResult;
  fp: FittedPreprocessor;
  te: TargetEncoder;
  pack: { bytes: Uint8Array };
  cols: number;
  ycols: number;
  shape: number[];
}

/** The split, the fitted preprocessing and target encoder, and the encoded splits in a float pack. */
function encodeSplits(ctx: StepContext, table: ColumnTable, report: TableReport, task: Task): Encoded {
  const { spec } = ctx;
  const target = spec.data.target;
  const targetColumn = table.column(target);
  const labelled = labelledRowIndices(targetColumn);
  if (labelled.length < table.rows)
    ctx.log(`dropped ${table.rows - labelled.length} rows without a target value`);
  const features = spec.data.features ?? report.schema.columns.map((c) => c.name).filter((n) => n !== target);
  const split = splitFor(ctx, targetColumn, labelled, task);
  if (split.train.length === 0 || split.test.length === 0) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_EMPTY',
      `too few labelled rows (${labelled.length}) for the split`,
      {
        path: 'data.split',
      },
    );
  }
  const rows = {
    train: datasetRows(labelled, split.train),
    validation: datasetRows(labelled, split.validation),
    test: datasetRows(labelled, split.test),
  };
  const te = fitTargetEncoderOnRows(targetColumn, rows.train, task);
  // an unknown class fails here, before any feature is fitted; the targets are written into the pack below
  for (const part of PARTS) checkTargetOnRows(te, targetColumn, rows[part]);
  const ycols = targetWidth(te);
  // one column at a time, in buffers reused from column to column, each read once: fitted on its
  // training rows, then at once written into the pack. The pack's width is known first: only a
  // one-hot category's fit decides a width, so those columns are fitted ahead (and read again)
  const whole = new ColumnScratch();
  let current: ColumnVector | undefined;
  const trainColumn = (name: string): RowsOfColumn => {
    current = table.column(name, whole);
    return { vector: current, rows: rows.train };
  };
  const config = spec.preprocess;
  const opts = { features, schema: report.schema, config };
  const widths = new Map<string, number>();
  if (config.encode === 'onehot') {
    const categories = features.filter(
      (n) => report.schema.columns.find((c) => c.name === n)?.type === 'category',
    );
    if (categories.length > 0)
      for (const f of fitPreprocessorColumns(trainColumn, { ...opts, features: categories }).features)
        if (f.kind === 'category') widths.set(f.name, f.width);
  }
  const spans = features.map((n) => widths.get(n) ?? 1);
  const cols = spans.reduce((a, b) => a + b, 0);
  const shapes: Record<string, number[]> = {};
  for (const part of PARTS) {
    shapes[`x_${part}`] = [rows[part].length, cols];
    shapes[`y_${part}`] = [rows[part].length, ycols];
  }
  const pack = allocateFloatPack(shapes);
  // A wide matrix is written a block of features at a time (blocks of at most 32 MiB), a narrow
  // one (or one too tall for a block) in place, one feature at a time: see FeatureBlockWriter
  const blockWidth =
    cols <= 32 ? 1 : Math.max(1, Math.min(BLOCK_WIDTH, Math.floor(BLOCK_BYTES / (4 * table.rows))));
  const writer = new FeatureBlockWriter(
    config,
    cols,
    spans,
    PARTS.map((part) => ({ rows: rows[part], out: pack.arrays[`x_${part}`] as Float32Array })),
    blockWidth,
  );
  const fp = fitPreprocessorColumns(trainColumn, opts, (feature) =>
    writer.write(feature, current as ColumnVector),
  );
  if (fp.width !== cols)
    throw new MyelinError(
      'MYELIN_ERR_INTERNAL',
      `the preprocessing is ${fp.width} wide, its categories gave ${cols}`,
    );
  const shape = spec.data.shape ?? [cols];
  const expected = shape.reduce((a, b) => a * b, 1);
  if (expected !== cols) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      `data.shape ${JSON.stringify(shape)} holds ${expected} values but the encoded rows have ${cols}`,
      { file: ctx.loaded.file, path: 'data.shape' },
    );
  }
  for (const part of PARTS)
    encodeTargetOnRows(te, targetColumn, rows[part], pack.arrays[`y_${part}`] as Float32Array);
  return { split, fp, te, pack, cols, ycols, shape };
}
