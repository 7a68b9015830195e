/**
 * A search-space path of the `tune:` section, e.g. `train.optimizer.learningRate` or
 * `model.layers[0].units`, read into segments. Only `train` and `model` may be tuned. Returns null
 * for a path that is not written in this form.
 *
 * @example parseTunePath('model.layers[0].units') // ['model', 'layers', 0, 'units']
 */
export function parseTunePath(path: string): (string | number)[] | null {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*|\[\d+\])*$/.test(path)) return null;
  const segments: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z_]\w*)|\[(\d+)\]/g)) {
    segments.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  return segments[0] === 'train' || segments[0] === 'model' ? segments : null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Descends one segment. A layer (`{ dense: { units: 32 } }`) is looked through, so
 * `model.layers[0].units` reaches the units of the first layer whatever its type.
 */
function child(node: unknown, segment: string | number): { holder: Record<string, unknown> | unknown[]; key: string | number } | null {
  if (typeof segment === 'number') return Array.isArray(node) && segment < node.length ? { holder: node, key: segment } : null;
  if (!isRecord(node)) return null;
  if (segment in node) return { holder: node, key: segment };
  const keys = Object.keys(node);
  const only = keys.length === 1 ? node[keys[0] as string] : undefined;
  return isRecord(only) ? { holder: only, key: segment } : null;
}

/** The value a tune path points at in a resolved spec, or undefined when it does not exist. */
export function valueAtTunePath(spec: unknown, segments: readonly (string | number)[]): unknown {
  let node = spec;
  for (const segment of segments) {
    const c = child(node, segment);
    if (!c) return undefined;
    node = (c.holder as Record<string | number, unknown>)[c.key];
  }
  return node;
}

/**
 * A copy of `spec` with the value at `segments` replaced (the path must exist). Nothing of the
 * original is changed.
 *
 * @example withTunedValue(spec, ['train', 'batchSize'], 32).train.batchSize // 32
 */
export function withTunedValue<T>(spec: T, segments: readonly (string | number)[], value: unknown): T {
  const copy = structuredClone(spec);
  let node: unknown = copy;
  segments.forEach((segment, i) => {
    const c = child(node, segment);
    if (!c) throw new Error(`tune path ${segments.join('.')} does not exist`);
    const holder = c.holder as Record<string | number, unknown>;
    if (i === segments.length - 1) holder[c.key] = value;
    else node = holder[c.key];
  });
  return copy;
}
