import {
  encodeColumns,
  encodeRecord,
  showValue,
  type DataSchema,
  type EncodeChecks,
  type FittedPreprocessor,
} from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { InstanceBatch } from '../core/predict-types.js';
import { badRequest } from '../util/serving-error.js';
import { inputChecksFor, type InputChecks } from './input-checks.js';
import type { InstanceWarning } from './instance-warning.js';

/** What validation hands to the model: the encoded rows and the warnings about them. */
export interface EncodedBatch {
  /** Row-major `n × width` model inputs. */
  x: Float32Array;
  n: number;
  warnings: InstanceWarning[];
}

/** Name of the single V2 tensor (or TF columnar input) that carries already-encoded rows. */
export const ENCODED_INPUT = 'input';

const NUMERIC_TYPES = /^(FP(16|32|64)|BF16|U?INT(8|16|32|64))$/;
const MAX_ROW_DEPTH = 8;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Writes an encoded row (numbers, flat or nested) at `x[at…]`; the count written, or -1 when it holds a non-number. */
function writeRow(v: unknown, x: Float32Array, at: number, end: number, depth: number): number {
  if (!Array.isArray(v) || depth > MAX_ROW_DEPTH) return -1;
  let k = 0;
  for (const item of v) {
    if (typeof item === 'number') {
      if (at + k < end) x[at + k] = item;
      if (!Number.isFinite(item)) return -1;
      k++;
    } else {
      const r = writeRow(item, x, at + k, end, depth + 1);
      if (r < 0) return -1;
      k += r;
    }
  }
  return k;
}

function warningsSink(fp: FittedPreprocessor, c: InputChecks, out: InstanceWarning[]): EncodeChecks {
  return {
    required: c.required,
    ranges: c.ranges,
    onWarning(w) {
      const f = fp.features[w.feature]!;
      if (w.kind === 'out-of-range') {
        const [lo, hi] = c.ranges[w.feature]!;
        out.push({
          instance: w.row,
          field: f.name,
          kind: w.kind,
          message: `${w.value} is outside the training range [${lo}, ${hi}]`,
        });
      } else {
        const known = f.kind === 'category' ? f.categories : [];
        out.push({
          instance: w.row,
          field: f.name,
          kind: w.kind,
          message: `unseen category ${showValue(w.value)} encoded per the policy "${fp.config.unseen}" (known: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''})`,
        });
      }
    },
  };
}

/** Re-throws a transform error of record `row` as a 400 naming the instance and field the protocol's way. */
function refuse(e: unknown, where: (instance: number, field: string | null) => string): never {
  if (e instanceof MyelinError && e.code === 'MYELIN_ERR_TRANSFORM') {
    const row = e.location?.row;
    const detail = e.detail.replace(/ \(record \d+\)$/, '').replace(/ in column "[^"]*"/, '');
    throw badRequest(`${where(row === undefined ? 0 : row - 1, e.location?.dataColumn ?? null)}: ${detail}`);
  }
  throw e;
}

/**
 * Checks every instance of a request against the version's training schema and fitted
 * preprocessing and encodes it for the model, in one pass through `@myelin/data`'s encoder (the
 * code training's preprocess step runs): records and columns are read, checked and written into
 * the input matrix value by value; encoded rows are copied after a count and finiteness check.
 *
 * Refused (MYELIN_ERR_SERVING_BAD_REQUEST naming the instance and field): a missing feature the
 * schema marks non-nullable, a value of the wrong kind, an unseen category under `unseen: error`,
 * an encoded row of the wrong width, a V2 tensor that is no feature (or a numeric feature sent as
 * BYTES/BOOL). Accepted and reported in `warnings`: numbers outside the training range, unseen
 * categories under `ignore`/`mostFrequent`. Extra record keys and TF columnar names are ignored.
 *
 * @example
 * encodeBatch({ kind: 'rows', rows: [{ Island: 'Dream' }], where }, loaded).x; // Float32Array(width)
 */
export function encodeBatch(
  batch: InstanceBatch,
  v: { preprocessor: FittedPreprocessor; schema: DataSchema },
): EncodedBatch {
  const fp = v.preprocessor;
  const width = fp.width;
  const c = inputChecksFor(fp, v.schema);
  const warnings: InstanceWarning[] = [];
  const checks = warningsSink(fp, c, warnings);
  const { where } = batch;
  if (batch.kind === 'rows') {
    const n = batch.rows.length;
    const x = new Float32Array(n * width);
    for (let i = 0; i < n; i++) {
      const inst = batch.rows[i];
      if (isRecord(inst)) {
        try {
          encodeRecord(fp, inst, x, i * width, i, checks);
        } catch (e) {
          refuse(e, where);
        }
        continue;
      }
      const k = writeRow(inst, x, i * width, (i + 1) * width, 0);
      if (k < 0) {
        throw badRequest(
          `${where(i, null)}: expected a record keyed by feature name or an encoded row of ${width} finite numbers, got ${showValue(inst)}`,
        );
      }
      if (k !== width) {
        throw badRequest(
          `${where(i, null)}: an encoded row needs ${width} numbers (${fp.outputNames.slice(0, 4).join(', ')}${width > 4 ? ', …' : ''}), got ${k}`,
        );
      }
    }
    return { x, n, warnings };
  }
  const { n, columns } = batch;
  const names = Object.keys(columns);
  const x = new Float32Array(n * width);
  if (names.length === 1 && names[0] === ENCODED_INPUT && !c.index.has(ENCODED_INPUT)) {
    const data = columns[ENCODED_INPUT]!;
    const dt = batch.datatype?.[ENCODED_INPUT];
    if (dt !== undefined && !NUMERIC_TYPES.test(dt))
      throw badRequest(`${where(0, ENCODED_INPUT)}: encoded rows need a numeric datatype, got ${dt}`);
    if (batch.width[ENCODED_INPUT] !== width) {
      throw badRequest(
        `${where(0, ENCODED_INPUT)}: an encoded row needs ${width} numbers (${fp.outputNames.slice(0, 4).join(', ')}${width > 4 ? ', …' : ''}), got ${batch.width[ENCODED_INPUT]}`,
      );
    }
    for (let j = 0; j < n * width; j++) {
      const value = data[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw badRequest(
          `${where(Math.floor(j / width), ENCODED_INPUT)}: value ${j % width} (${fp.outputNames[j % width]}) must be a finite number, got ${showValue(value)}`,
        );
      }
      x[j] = value;
    }
    return { x, n, warnings };
  }
  for (const name of names) {
    const fi = c.index.get(name);
    if (fi === undefined) {
      if (!batch.strictNames) continue;
      throw badRequest(
        `${where(0, name)}: "${name}" is not a feature of this model (features: ${fp.features.map((f) => f.name).join(', ')}; or send one "${ENCODED_INPUT}" tensor of encoded rows)`,
      );
    }
    if (batch.width[name] !== 1) {
      throw badRequest(`${where(0, name)}: a feature has one value per instance, got ${batch.width[name]}`);
    }
    const dt = batch.datatype?.[name];
    if (dt !== undefined && fp.features[fi]!.kind === 'numeric' && !NUMERIC_TYPES.test(dt)) {
      throw badRequest(`${where(0, name)}: a numeric feature needs a numeric datatype (FP32), got ${dt}`);
    }
  }
  try {
    encodeColumns(fp, columns, n, x, checks);
  } catch (e) {
    refuse(e, where);
  }
  return { x, n, warnings };
}
