import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from '../io/column-batch.js';
import { nullVector } from '../io/column-vector.js';
import { rowsToBatches } from '../io/rows-to-batches.js';
import type { ColumnProfiler } from '../profile/column-profiler.js';
import { kindFitsType } from '../schema/column-inferrer.js';
import type { Anomaly, ColumnSchema, ColumnType, Row, Task } from '../types.js';
import type { AnalyzeOptions, ColumnRule, TableReport } from './analyze-options.js';
import { ColumnAnalysis } from './column-analysis.js';
import { didYouMean } from './did-you-mean.js';
import { inferTask } from './infer-task.js';
import { RowHashSet } from './row-hash-set.js';
import { Tally } from './tally.js';

const DEFAULT_MAX_MISSING = 0.05;
const SEED_A = 0x9747b28c | 0;
const SEED_B = 0x2f1a3c5d | 0;

/**
 * Reads a table once and returns its schema (given or inferred), statistics profile and every
 * anomaly the rules find. Memory is bounded per column (see `ColumnProfiler`) plus 11–43 MiB per
 * million distinct rows for duplicate detection (`RowHashSet`, 52-bit row hashes).
 *
 * Rules (severity): values not of the column's type (error), outside `min`/`max` (error), outside
 * the category `values` (error), nulls in a non-nullable column (error), more missing than
 * `maxMissingFraction` (error), NaN/±Infinity in a numeric column (error), rows without a target
 * value (error), a classification target with fewer than two classes (error), constant columns
 * (warning), duplicate rows (error, unless `allowDuplicates`: a failure `validate.onFailure` handles).
 *
 * @example
 * const report = await analyzeTable(readRows(src), { target: 'Species', columns: { Island: { type: 'category' } } });
 * console.log(formatReport(report));
 * @throws MyelinError MYELIN_ERR_DATA_COLUMN_MISSING when the target, a feature, or a column named
 *   in the rules or schema is not in the data (with the columns that exist and a did-you-mean);
 *   MYELIN_ERR_DATA_EMPTY when there are no rows.
 */
export async function analyzeTable(
  rows: AsyncIterable<Row> | Iterable<Row>,
  opts: AnalyzeOptions = {},
): Promise<TableReport> {
  return analyzeBatches(rowsToBatches(rows), opts);
}

/**
 * `analyzeTable` over column batches (`readColumnBatches`, a dataset artifact): the same report,
 * computed column by column on typed vectors instead of row objects.
 *
 * @example
 * const report = await analyzeBatches(readColumnBatches(src), { target: 'Species' });
 */
export async function analyzeBatches(
  batches: AsyncIterable<ColumnBatch> | Iterable<ColumnBatch>,
  opts: AnalyzeOptions = {},
): Promise<TableReport> {
  const schemaCols = new Map<string, ColumnSchema>((opts.schema?.columns ?? []).map((c) => [c.name, c]));
  const ruleFor = (name: string): ColumnRule => {
    const s = schemaCols.get(name);
    const r = opts.columns?.[name];
    const base: ColumnRule = s
      ? { type: s.type, nullable: s.nullable, min: s.min, max: s.max, values: s.values }
      : {};
    const merged: ColumnRule = { ...base, ...r };
    for (const k of Object.keys(merged) as (keyof ColumnRule)[])
      if (merged[k] === undefined) delete merged[k];
    return merged;
  };
  const states = new Map<string, ColumnAnalysis>();
  const order: ColumnAnalysis[] = [];
  const dupes = opts.allowDuplicates ? undefined : new RowHashSet();
  const dupTally = new Tally();
  let ha = new Int32Array(0);
  let hb = new Int32Array(0);
  let n = 0;

  for await (const batch of batches) {
    const len = batch.length;
    if (len === 0) continue;
    for (let c = order.length; c < batch.names.length; c++) {
      const name = batch.names[c] as string;
      const st = new ColumnAnalysis(name, ruleFor(name));
      states.set(name, st);
      order.push(st);
    }
    if (dupes) {
      if (ha.length < len) {
        ha = new Int32Array(len);
        hb = new Int32Array(len);
      }
      ha.fill(SEED_A, 0, len);
      hb.fill(SEED_B, 0, len);
    }
    for (let c = 0; c < order.length; c++) {
      const vector = batch.columns[c] ?? nullVector(len);
      (order[c] as ColumnAnalysis).observe(vector, batch.firstRow, dupes ? ha : undefined, dupes ? hb : undefined);
    }
    if (dupes) addRowHashes(dupes, ha, hb, len, batch.firstRow, dupTally);
    n = batch.firstRow + len - 1;
  }

  const file = opts.source;
  if (n === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', 'the table holds no rows', file ? { file } : undefined);
  checkColumnsExist(states, opts, file);

  const anomalies: Anomaly[] = [];
  const push = (
    column: string,
    rule: Anomaly['rule'],
    severity: Anomaly['severity'],
    t: { count: number; exampleRows: number[] },
    message: string,
  ): void => {
    anomalies.push({ column, rule, severity, count: t.count, message, exampleRows: [...t.exampleRows] });
  };
  const maxMissing = opts.maxMissingFraction ?? DEFAULT_MAX_MISSING;
  const schemaOut: ColumnSchema[] = [];
  const profileOut = [];
  let task: Task | undefined;
  let targetClasses: string[] | undefined;

  for (const st of order) {
    const { name, rule, profiler } = st;
    const inferred = st.inferred(n);
    const kinds = st.kinds();
    const type: ColumnType = rule.type ?? inferred.type;
    const missing = n - profiler.count;
    const col: ColumnSchema = { name, type, nullable: rule.nullable ?? missing > 0 };
    const min = rule.min ?? (type === 'number' || type === 'integer' ? inferred.min : undefined);
    const max = rule.max ?? (type === 'number' || type === 'integer' ? inferred.max : undefined);
    if (min !== undefined) col.min = min;
    if (max !== undefined) col.max = max;
    const values =
      rule.values ?? (type === 'category' ? (inferred.values ?? categoryValues(profiler)) : undefined);
    if (values) col.values = [...values].sort();
    schemaOut.push(col);
    const profile = profiler.finish(type, n);
    profileOut.push(profile);

    // type
    const wrong = { count: 0, exampleRows: [] as number[] };
    const wrongKinds: string[] = [];
    for (const [kind, t] of kinds) {
      if (kindFitsType(kind, type)) continue;
      wrong.count += t.count;
      wrong.exampleRows.push(...t.exampleRows);
      wrongKinds.push(`${t.count} ${kind}`);
    }
    if (wrong.count > 0) {
      wrong.exampleRows = wrong.exampleRows.sort((x, y) => x - y).slice(0, 5);
      push(
        name,
        'type',
        'error',
        wrong,
        `${wrong.count} value(s) are not ${article(type)} (${wrongKinds.join(', ')})`,
      );
    }
    const nonFinite = kinds.get('nonFinite');
    if (nonFinite && (type === 'number' || type === 'integer')) {
      push(name, 'nonFinite', 'error', nonFinite, `${nonFinite.count} value(s) are NaN or ±Infinity`);
    }
    if (st.range.count > 0) {
      const bounds = [
        rule.min !== undefined ? `min ${rule.min}` : '',
        rule.max !== undefined ? `max ${rule.max}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      push(
        name,
        'range',
        'error',
        st.range,
        `${st.range.count} value(s) outside the allowed range (${bounds}); seen ${profile.min} to ${profile.max}`,
      );
    }
    if (st.domain.count > 0) {
      push(
        name,
        'domain',
        'error',
        st.domain,
        `${st.domain.count} value(s) not in the allowed values [${(rule.values ?? []).join(', ')}]`,
      );
    }
    if (rule.nullable === false && missing > 0) {
      push(
        name,
        'nullable',
        'error',
        { count: missing, exampleRows: st.nulls.exampleRows },
        `${missing} missing value(s) in a column that must not be null`,
      );
    }
    if (name === opts.target) {
      if (missing > 0)
        push(
          name,
          'targetMissing',
          'error',
          { count: missing, exampleRows: st.nulls.exampleRows },
          `${missing} row(s) have no target value`,
        );
      task = opts.task ?? inferTask(type, profile.distinct);
      if (task !== 'regression' && !profile.distinctApproximate) {
        targetClasses = categoryValues(profiler);
        if (targetClasses.length < 2) {
          push(
            name,
            'targetClasses',
            'error',
            { count: targetClasses.length, exampleRows: [] },
            `a ${task} target needs at least two classes; found ${targetClasses.length}${targetClasses.length ? ` (${targetClasses.join(', ')})` : ''}`,
          );
        }
      }
    } else if (missing > maxMissing * n) {
      push(
        name,
        'maxMissingFraction',
        'error',
        { count: missing, exampleRows: st.nulls.exampleRows },
        `${missing} of ${n} values missing (${pct(missing / n)}), more than the allowed ${pct(maxMissing)}`,
      );
    }
    if (n > 1 && profile.distinct === 1 && missing === 0) {
      push(
        name,
        'constant',
        'warning',
        { count: n, exampleRows: [] },
        `every row holds the same value (${String(profile.topValues?.[0]?.value ?? profile.min)})`,
      );
    }
  }
  if (dupTally.count > 0) {
    // a validation failure, handled by validate.onFailure as the pipeline format says
    push('*', 'duplicateRows', 'error', dupTally, `${dupTally.count} row(s) repeat an earlier row; set validate.allowDuplicates: true to accept them`);
  }
  return {
    rows: n,
    schema: { version: 1, columns: schemaOut },
    profile: { version: 1, rows: n, columns: profileOut },
    anomalies,
    ...(task ? { task } : {}),
    ...(targetClasses ? { targetClasses } : {}),
  };
}

/** Throws MYELIN_ERR_DATA_COLUMN_MISSING for the first column the options name that the data lacks. */
function checkColumnsExist(
  states: Map<string, ColumnAnalysis>,
  opts: AnalyzeOptions,
  file: string | undefined,
): void {
  const wanted: [string, string][] = [];
  if (opts.target !== undefined) wanted.push([opts.target, 'target column']);
  for (const f of opts.features ?? []) wanted.push([f, 'feature column']);
  for (const c of Object.keys(opts.columns ?? {})) wanted.push([c, 'column named in the validation rules']);
  for (const c of opts.schema?.columns ?? []) wanted.push([c.name, 'column named in the schema']);
  for (const [name, what] of wanted) {
    if (states.has(name)) continue;
    const existing = [...states.keys()];
    const hint = didYouMean(name, existing);
    throw new MyelinError(
      'MYELIN_ERR_DATA_COLUMN_MISSING',
      `${what} "${name}" is not in the data${hint || '.'} Columns: ${existing.map((c) => `"${c}"`).join(', ')}`,
      { ...(file ? { file } : {}), dataColumn: name },
    );
  }
}

function categoryValues(profiler: ColumnProfiler): string[] {
  const set = new Set<string>();
  for (const [v] of profiler.values.entries()) set.add(String(v));
  return [...set].sort();
}

/**
 * Adds the row hashes of a batch (`ha[i]`, `hb[i]` for its `len` rows, the first being data row
 * `firstRow`) to the set, tallying the rows seen before. A function of its own that returns right
 * after its loop: inside `analyzeBatches`, V8 compiled that whole function on the stack for this
 * loop and bailed out on the code after it.
 */
function addRowHashes(dupes: RowHashSet, ha: Int32Array, hb: Int32Array, len: number, firstRow: number, dupTally: Tally): void {
  for (let i = 0; i < len; i++) {
    const a = ha[i] as number;
    const b = hb[i] as number;
    if (dupes.addHas(fmixPair(a, b), fmixPair(b, a))) dupTally.add(firstRow + i);
  }
}

function fmixPair(x: number, y: number): number {
  let h = (x ^ Math.imul(y, 0xcc9e2d51)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function article(type: ColumnType): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}
