import type { FittedCategoryFeature, FittedPreprocessor } from './preprocess-config.js';
import { failTransform, isMissing, readBoolean, readCategory, readDatetime, readNumber } from './read-value.js';

const categoryIndex = new WeakMap<FittedCategoryFeature, Map<string, number>>();

function indexOf(feature: FittedCategoryFeature, label: string): number {
  let map = categoryIndex.get(feature);
  if (!map) {
    map = new Map(feature.categories.map((c, i) => [c, i]));
    categoryIndex.set(feature, map);
  }
  return map.get(label) ?? -1;
}

/**
 * Writes the transformed `record` into `out` starting at `start` (fp.width values). The one code
 * path behind `transformRecord` and `transformBatch`; allocates nothing per call but error messages.
 * `index` is the record's position in a batch, for error locations.
 */
export function writeFeatures(
  fp: FittedPreprocessor,
  record: Readonly<Record<string, unknown>>,
  out: Float32Array,
  start: number,
  index?: number,
): void {
  const unseen = fp.config.unseen;
  for (const f of fp.features) {
    const v = record[f.name];
    const at = start + f.offset;
    if (f.kind === 'numeric') {
      let x: number;
      if (isMissing(v)) x = f.fill;
      else x = f.source === 'datetime' ? readDatetime(v, { column: f.name, index }) : readNumber(v, { column: f.name, index });
      out[at] = (x - f.center) / f.scale;
    } else if (f.kind === 'boolean') {
      out[at] = isMissing(v) ? f.fill : readBoolean(v, { column: f.name, index });
    } else {
      const label = isMissing(v) ? f.fill : readCategory(v, { column: f.name, index });
      let k = indexOf(f, label);
      if (k < 0) {
        if (unseen === 'error') {
          failTransform(
            { column: f.name, index },
            `unseen category ${JSON.stringify(label)} in column "${f.name}" (known: ${f.categories.join(', ')})`,
          );
        }
        if (unseen === 'mostFrequent') k = indexOf(f, f.mostFrequent);
      }
      if (fp.config.encode === 'onehot') {
        out.fill(0, at, at + f.width);
        if (k >= 0) out[at + k] = 1;
      } else {
        out[at] = k;
      }
    }
  }
}
