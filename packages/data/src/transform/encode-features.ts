import type { FittedCategoryFeature, FittedFeature, FittedPreprocessor } from './preprocess-config.js';
import {
  failTransform,
  isMissing,
  readBoolean,
  readCategory,
  readDatetime,
  readNumber,
  showValue,
} from './read-value.js';

/** An accepted but odd input value a caller asked to hear about (the server reports them as warnings). */
export interface EncodeWarning {
  /** 0-based record index. */
  row: number;
  /** Index of the feature in `fp.features`. */
  feature: number;
  /** `out-of-range`: a number outside `checks.ranges`; `unseen-category`: encoded per `fp.config.unseen`. */
  kind: 'out-of-range' | 'unseen-category';
  /** The number read, or the category label. */
  value: number | string;
}

/**
 * Checks layered on the transform, in the same pass (the server's input validation). Training
 * passes none: every value is read, imputed, scaled and encoded exactly the same either way.
 */
export interface EncodeChecks {
  /** Per feature (`fp.features` order): true refuses a missing value instead of imputing it. */
  required?: readonly boolean[];
  /** Per feature: `[min, max]`; a number outside is still encoded and reported through `onWarning`. */
  ranges?: readonly (readonly [number, number] | null | undefined)[];
  /** Receives out-of-range numbers and unseen categories (when the policy is not `error`). */
  onWarning?: (w: EncodeWarning) => void;
}

/** Per-feature lookups built once per fitted preprocessor. */
interface Plan {
  categoryIndex: (Map<string, number> | null)[];
}

const plans = new WeakMap<FittedPreprocessor, Plan>();

function planOf(fp: FittedPreprocessor): Plan {
  let plan = plans.get(fp);
  if (!plan) {
    plan = {
      categoryIndex: fp.features.map((f) =>
        f.kind === 'category' ? new Map(f.categories.map((c, i) => [c, i])) : null,
      ),
    };
    plans.set(fp, plan);
  }
  return plan;
}

const MAX_LISTED = 20;

function known(f: FittedCategoryFeature): string {
  const cats = f.categories;
  return cats.length <= MAX_LISTED
    ? cats.join(', ')
    : `${cats.slice(0, MAX_LISTED).join(', ')}, … (${cats.length} in all)`;
}

/**
 * Reads one value of feature `fi` and writes its encoded form at `out[at…]`. The single place a
 * value becomes a model input: records, columns, training and serving all go through here.
 */
function encodeValue(
  fp: FittedPreprocessor,
  plan: Plan,
  fi: number,
  f: FittedFeature,
  v: unknown,
  out: Float32Array,
  at: number,
  row: number,
  index: number | undefined,
  checks: EncodeChecks | undefined,
): void {
  const missing = isMissing(v);
  if (missing && checks?.required?.[fi]) {
    failTransform({ column: f.name, index }, 'is required (the training data never lacked it)');
  }
  if (f.kind === 'numeric') {
    let x: number;
    if (missing) x = f.fill;
    else {
      x =
        typeof v === 'number' && Number.isFinite(v)
          ? v
          : f.source === 'datetime'
            ? readDatetime(v, { column: f.name, index })
            : readNumber(v, { column: f.name, index });
      const range = checks?.ranges?.[fi];
      if (range && (x < range[0] || x > range[1]))
        checks!.onWarning?.({ row, feature: fi, kind: 'out-of-range', value: x });
    }
    out[at] = (x - f.center) / f.scale;
    return;
  }
  if (f.kind === 'boolean') {
    out[at] = missing ? f.fill : readBoolean(v, { column: f.name, index });
    return;
  }
  const label = missing ? f.fill : typeof v === 'string' ? v : readCategory(v, { column: f.name, index });
  const map = plan.categoryIndex[fi] as Map<string, number>;
  let k = map.get(label) ?? -1;
  if (k < 0) {
    const unseen = fp.config.unseen;
    if (unseen === 'error') {
      failTransform(
        { column: f.name, index },
        `unseen category ${showValue(label)} in column "${f.name}" (known: ${known(f)})`,
      );
    }
    checks?.onWarning?.({ row, feature: fi, kind: 'unseen-category', value: label });
    if (unseen === 'mostFrequent') k = map.get(f.mostFrequent) ?? -1;
  }
  if (fp.config.encode === 'onehot') {
    out.fill(0, at, at + f.width);
    if (k >= 0) out[at + k] = 1;
  } else {
    out[at] = k;
  }
}

/**
 * Encodes one record (keyed by feature name; extra keys ignored) into `out[start … start + fp.width)`.
 * Missing values (absent, null, NaN, "") are imputed, unseen categories follow `fp.config.unseen`,
 * a value of the wrong kind throws MYELIN_ERR_TRANSFORM naming the column (and `index`, the
 * record's position in a batch, when given). Allocates nothing but error messages.
 */
export function encodeRecord(
  fp: FittedPreprocessor,
  record: Readonly<Record<string, unknown>>,
  out: Float32Array,
  start: number,
  index?: number,
  checks?: EncodeChecks,
): void {
  const plan = planOf(fp);
  const features = fp.features;
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi] as FittedFeature;
    const v = record[f.name];
    // a function can only come from Object.prototype (a feature named "toString"): the record lacks it
    encodeValue(
      fp,
      plan,
      fi,
      f,
      typeof v === 'function' ? undefined : v,
      out,
      start + f.offset,
      index ?? 0,
      index,
      checks,
    );
  }
}

/**
 * Encodes records into a row-major `records.length × fp.width` matrix (into `out` when given),
 * with the same rules as `encodeRecord`. Errors carry the record index.
 *
 * @example
 * const x = encodeRecords(fp, [{ Island: 'Dream', 'Body Mass (g)': 3800 }]); // Float32Array(fp.width)
 */
export function encodeRecords(
  fp: FittedPreprocessor,
  records: readonly Readonly<Record<string, unknown>>[],
  out: Float32Array = new Float32Array(records.length * fp.width),
  checks?: EncodeChecks,
): Float32Array {
  const w = fp.width;
  for (let i = 0; i < records.length; i++)
    encodeRecord(fp, records[i] as Readonly<Record<string, unknown>>, out, i * w, i, checks);
  return out;
}

/**
 * Encodes `n` records given column by column (`columns[name][i]` is record i's value; a column
 * not given is missing in every record) into a row-major `n × fp.width` matrix, feature by
 * feature, without building a record per row. Row i equals `encodeRecord` of the same values;
 * errors carry the record index. Columns may be plain arrays or typed arrays.
 *
 * @example
 * const x = encodeColumns(fp, { Island: ['Dream', 'Biscoe'], 'Body Mass (g)': [3800, 5000] }, 2);
 */
export function encodeColumns(
  fp: FittedPreprocessor,
  columns: Readonly<Record<string, ArrayLike<unknown> | undefined>>,
  n: number,
  out: Float32Array = new Float32Array(n * fp.width),
  checks?: EncodeChecks,
): Float32Array {
  const plan = planOf(fp);
  const w = fp.width;
  const features = fp.features;
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi] as FittedFeature;
    const col = Object.prototype.hasOwnProperty.call(columns, f.name) ? columns[f.name] : undefined;
    for (let r = 0, at = f.offset; r < n; r++, at += w) {
      encodeValue(fp, plan, fi, f, col === undefined ? undefined : col[r], out, at, r, r, checks);
    }
  }
  return out;
}
