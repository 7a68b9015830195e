import type { DataSchema, FittedPreprocessor } from '@myelin/data';

/** What a served version checks on top of its fitted preprocessing, per feature (`fp.features` order). */
export interface InputChecks {
  /** The training schema marks the column non-nullable: a missing value is refused. */
  required: boolean[];
  /** Training range of numeric features (the schema's, else the fitted statistics'); null otherwise. */
  ranges: ([number, number] | null)[];
  /** Feature name → index. */
  index: Map<string, number>;
}

const cache = new WeakMap<FittedPreprocessor, InputChecks>();

/** The checks of a version, built once per fitted preprocessor. */
export function inputChecksFor(fp: FittedPreprocessor, schema: DataSchema): InputChecks {
  let c = cache.get(fp);
  if (c) return c;
  const columns = new Map(schema.columns.map((col) => [col.name, col]));
  c = {
    required: fp.features.map((f) => columns.get(f.name)?.nullable === false),
    ranges: fp.features.map((f) => {
      if (f.kind !== 'numeric' || f.stats.count === 0) return null;
      const col = columns.get(f.name);
      return [col?.min ?? f.stats.min, col?.max ?? f.stats.max];
    }),
    index: new Map(fp.features.map((f, i) => [f.name, i])),
  };
  cache.set(fp, c);
  return c;
}
