import { transformBatch, type ColumnSchema, type DataSchema, type FittedPreprocessor } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import { badRequest } from '../util/serving-error.js';
import type { InstanceWarning } from './instance-warning.js';

/** What validation hands to the model: the encoded rows and the warnings about them. */
export interface ValidatedInstances {
  /** Row-major `n × width` model inputs. */
  x: Float32Array;
  n: number;
  warnings: InstanceWarning[];
}

const columnIndex = new WeakMap<DataSchema, Map<string, ColumnSchema>>();
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const isMissing = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(instance: number, field: string | null, detail: string): never {
  throw badRequest(`instance ${instance}${field === null ? '' : `, field "${field}"`}: ${detail}`);
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Flattens nested arrays of numbers (an image row as [8][8][1]) into `out`; false when not numbers. */
function flattenNumbers(v: unknown, out: number[], depth: number): boolean {
  if (typeof v === 'number') {
    out.push(v);
    return true;
  }
  if (!Array.isArray(v) || depth > 4) return false;
  for (const item of v) if (!flattenNumbers(item, out, depth + 1)) return false;
  return true;
}

/**
 * Checks every instance of a request against the version's training schema and preprocessing and
 * encodes them for the model. An instance is either a raw record keyed by the training column
 * names (encoded by the fitted preprocessing, the same code as in training) or an already-encoded
 * row: `width` finite numbers, flat or nested (e.g. `[8][8][1]`).
 *
 * Raw records: a missing feature the schema marks non-nullable is refused; a value of the wrong
 * kind is refused; a category outside the training domain is refused when the transform's policy
 * is `unseen: error`, else encoded per the policy and reported as a warning; a number outside the
 * training range is accepted and reported as a warning. Extra keys are ignored.
 * Any refusal throws MYELIN_ERR_SERVING_BAD_REQUEST naming the instance index and the field.
 *
 * @example
 * validateInstances([{ Island: 'Dream', 'Body Mass (g)': 3800 }], fp, schema).x; // Float32Array(width)
 */
export function validateInstances(
  instances: readonly unknown[],
  fp: FittedPreprocessor,
  schema: DataSchema,
): ValidatedInstances {
  const n = instances.length;
  const width = fp.width;
  const warnings: InstanceWarning[] = [];
  let columns = columnIndex.get(schema);
  if (!columns) {
    columns = new Map<string, ColumnSchema>(schema.columns.map((c) => [c.name, c]));
    columnIndex.set(schema, columns);
  }
  const x = new Float32Array(n * width);
  const records: Record<string, unknown>[] = [];
  const recordAt: number[] = [];
  instances.forEach((inst, i) => {
    if (isRecord(inst)) {
      checkRecord(inst, i, fp, columns, warnings);
      records.push(inst);
      recordAt.push(i);
      return;
    }
    const values: number[] = [];
    if (!Array.isArray(inst) || !flattenNumbers(inst, values, 0)) {
      fail(
        i,
        null,
        `expected a record keyed by feature name or an encoded row of ${width} numbers, got ${show(inst)}`,
      );
    }
    if (values.length !== width) {
      fail(
        i,
        null,
        `an encoded row needs ${width} numbers (${fp.outputNames.slice(0, 4).join(', ')}${width > 4 ? ', …' : ''}), got ${values.length}`,
      );
    }
    values.forEach((v, k) => {
      if (!Number.isFinite(v))
        fail(i, fp.outputNames[k] ?? `#${k}`, `expected a finite number, got ${show(v)}`);
    });
    x.set(values, i * width);
  });
  if (records.length > 0) {
    let encoded;
    try {
      encoded = transformBatch(fp, records);
    } catch (e) {
      if (e instanceof MyelinError && e.code === 'MYELIN_ERR_TRANSFORM') {
        const row = e.location?.row;
        fail(
          row === undefined ? 0 : (recordAt[row - 1] ?? 0),
          e.location?.dataColumn ?? null,
          e.detail.replace(/ \(record \d+\)$/, ''),
        );
      }
      throw e;
    }
    recordAt.forEach((at, k) => x.set(encoded.data.subarray(k * width, (k + 1) * width), at * width));
  }
  return { x, n, warnings };
}

function checkRecord(
  rec: Record<string, unknown>,
  i: number,
  fp: FittedPreprocessor,
  columns: Map<string, ColumnSchema>,
  warnings: InstanceWarning[],
): void {
  for (const f of fp.features) {
    const v = rec[f.name];
    const col = columns.get(f.name);
    if (isMissing(v)) {
      if (col && !col.nullable) fail(i, f.name, 'is required (the training data never lacked it)');
      continue;
    }
    if (f.kind === 'numeric') {
      let num: number;
      if (f.source === 'datetime') {
        num = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
        if (!Number.isFinite(num)) fail(i, f.name, `expected a date (ISO 8601 or epoch ms), got ${show(v)}`);
      } else {
        num =
          typeof v === 'number'
            ? v
            : typeof v === 'string' && NUMERIC.test(v.trim())
              ? Number(v.trim())
              : NaN;
        if (!Number.isFinite(num)) fail(i, f.name, `expected a number, got ${show(v)}`);
        if (f.source === 'integer' && !Number.isInteger(num))
          fail(i, f.name, `expected an integer, got ${show(v)}`);
      }
      const lo = col?.min ?? f.stats.min;
      const hi = col?.max ?? f.stats.max;
      if (f.stats.count > 0 && (num < lo || num > hi)) {
        warnings.push({
          instance: i,
          field: f.name,
          kind: 'out-of-range',
          message: `${num} is outside the training range [${lo}, ${hi}]`,
        });
      }
    } else if (f.kind === 'boolean') {
      const ok =
        typeof v === 'boolean' ||
        v === 0 ||
        v === 1 ||
        (typeof v === 'string' && /^(true|false)$/i.test(v.trim()));
      if (!ok) fail(i, f.name, `expected a boolean, got ${show(v)}`);
    } else {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        fail(i, f.name, `expected a category label (string), got ${show(v)}`);
      }
      const label = String(v);
      if (!f.categories.includes(label)) {
        const policy = fp.config.unseen;
        if (policy === 'error') {
          fail(i, f.name, `unseen category ${show(label)} (known: ${f.categories.join(', ')})`);
        }
        warnings.push({
          instance: i,
          field: f.name,
          kind: 'unseen-category',
          message: `unseen category ${show(label)} encoded per the policy "${policy}" (known: ${f.categories.join(', ')})`,
        });
      }
    }
  }
}
