import { resolve } from 'node:path';
import { parseSpec, type LoadedSpec } from '@myelin/spec';

/** How many parsed specs a worker keeps (one per pipeline file it runs steps of, in practice). */
const CAPACITY = 64;

const kept = new Map<string, LoadedSpec>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * `parseSpec`, kept by file and text: every step job of a run reads the same spec text from its
 * run record, and parsing it (YAML, schema, canonical hash) cost more than the rest of a no-op
 * step. Same text and file, same result, so the cache cannot go stale. The result is shared and
 * deeply frozen: a step that tried to change its spec would throw instead of changing the next
 * job's. Errors are not kept (a bad text fails every time). The least recently used entry goes
 * once `CAPACITY` are kept.
 *
 * @example parseSpecCached(run.specText, payload.specFile).hash === run.specHash
 */
export function parseSpecCached(text: string, file: string): LoadedSpec {
  const key = `${resolve(file)}\u0000${text}`;
  let loaded = kept.get(key);
  if (loaded) kept.delete(key);
  else loaded = deepFreeze(parseSpec(text, file));
  kept.set(key, loaded);
  if (kept.size > CAPACITY) kept.delete(kept.keys().next().value!);
  return loaded;
}
