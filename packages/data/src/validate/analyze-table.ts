import { MyelinError } from '@myelin/errors';
import { ColumnProfiler } from '../profile/column-profiler.js';
import { hashCell } from '../profile/hash-cell.js';
import { ColumnInferrer, kindFitsType } from '../schema/column-inferrer.js';
import { valueKind } from '../schema/value-kind.js';
import type { Anomaly, Cell, ColumnSchema, ColumnType, Row, Task } from '../types.js';
import type { AnalyzeOptions, ColumnRule, TableReport } from './analyze-options.js';
import { didYouMean } from './did-you-mean.js';
import { inferTask } from './infer-task.js';
import { RowHashSet } from './row-hash-set.js';
import { Tally } from './tally.js';

const DEFAULT_MAX_MISSING = 0.05;

/** Everything tracked for one column during the pass. */
class ColumnState {
  readonly inferrer: ColumnInferrer;
  readonly profiler: ColumnProfiler;
  readonly nulls = new Tally();
  readonly range = new Tally();
  readonly domain = new Tally();
  readonly domainSet: Set<string> | undefined;
  readonly min: number;
  readonly max: number;

  constructor(
    readonly name: string,
    readonly rule: ColumnRule,
  ) {
    this.inferrer = new ColumnInferrer(name);
    this.profiler = new ColumnProfiler(name);
    this.domainSet = rule.values ? new Set(rule.values) : undefined;
    this.min = rule.min ?? -Infinity;
    this.max = rule.max ?? Infinity;
  }
}

/**
 * Reads a table once and returns its schema (given or inferred), statistics profile and every
 * anomaly the rules find. Memory is bounded per column (see `ColumnProfiler`) plus 16 MiB per
 * million distinct rows for duplicate detection (`RowHashSet`, 52-bit row hashes).
 *
 * Rules (severity): values not of the column's type (error), outside `min`/`max` (error), outside
 * the category `values` (error), nulls in a non-nullable column (error), more missing than
 * `maxMissingFraction` (error), NaN/±Infinity in a numeric column (error), rows without a target
 * value (error), a classification target with fewer than two classes (error), constant columns
 * (warning), duplicate rows (warning, unless `allowDuplicates`).
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
  const states = new Map<string, ColumnState>();
  const dupes = opts.allowDuplicates ? undefined : new RowHashSet();
  const dupTally = new Tally();
  const h = new Uint32Array(2);
  let n = 0;

  for await (const row of rows) {
    n++;
    let a = 0x9747b28c;
    let b = 0x2f1a3c5d;
    for (const key in row) {
      let st = states.get(key);
      if (!st) states.set(key, (st = new ColumnState(key, ruleFor(key))));
      const v: Cell = row[key] ?? null;
      const kind = valueKind(v);
      st.inferrer.observe(v, kind, n);
      if (v === null) {
        st.nulls.add(n);
      } else {
        st.profiler.add(v);
        if (typeof v === 'number' && (v < st.min || v > st.max)) st.range.add(n);
        if (st.domainSet && !st.domainSet.has(String(v))) st.domain.add(n);
      }
      if (dupes) {
        hashCell(v, h);
        a = Math.imul(a ^ (h[0] as number), 0x9e3779b1);
        a = (a << 13) | (a >>> 19);
        b = Math.imul(b ^ (h[1] as number), 0x85ebca77);
        b = (b << 17) | (b >>> 15);
      }
    }
    if (dupes && dupes.addHas(fmixPair(a, b), fmixPair(b, a))) dupTally.add(n);
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

  for (const st of states.values()) {
    const { name, rule, inferrer, profiler } = st;
    const inferred = inferrer.finish(n);
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
    for (const [kind, t] of inferrer.kinds) {
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
    const nonFinite = inferrer.kinds.get('nonFinite');
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
    push('*', 'duplicateRows', 'warning', dupTally, `${dupTally.count} row(s) repeat an earlier row`);
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
  states: Map<string, ColumnState>,
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
    const guess = didYouMean(name, existing);
    throw new MyelinError(
      'MYELIN_ERR_DATA_COLUMN_MISSING',
      `${what} "${name}" is not in the data${guess ? `; did you mean "${guess}"?` : '.'} Columns: ${existing.map((c) => `"${c}"`).join(', ')}`,
      { ...(file ? { file } : {}), dataColumn: name },
    );
  }
}

function categoryValues(profiler: ColumnProfiler): string[] {
  return [...new Set([...profiler.values.counts.keys()].map(String))].sort();
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
