import { MLFLOW_LIMITS } from './mlflow-limits.js';
import { cutText, toMlflowKey, withHashSuffix } from './mlflow-names.js';
import type { MlflowTag } from './mlflow-types.js';

/** The tag (or tags `myelin.keymap.1` … `.n`, when one is too long) that records renamed keys. */
export const KEYMAP_TAG = 'myelin.keymap';

/**
 * The MLflow names of one run's (or model version's) params, metrics and tags, and the record
 * that makes the renaming reversible. Every name goes through `toMlflowKey`; when two different
 * Myelin names would get the same MLflow name, each one that was changed gets a hash suffix, so
 * distinct names stay distinct whatever their order. `tags()` writes the renamed ones as JSON
 * objects `{ "<MLflow name>": "<Myelin name>" }` under `myelin.keymap` (split over
 * `myelin.keymap.1` … when longer than MLflow's 5,000 characters per tag value); `readKeyMap`
 * reads them back.
 *
 * @example
 * const keys = new MlflowKeyMap(['validate.columns.Body Mass (g).max', 'train.epochs']);
 * keys.key('validate.columns.Body Mass (g).max'); // 'validate.columns.Body Mass _g_.max'
 * keys.tags(); // [{ key: 'myelin.keymap', value: '{"validate.columns.Body Mass _g_.max":"validate.columns.Body Mass (g).max"}' }]
 */
export class MlflowKeyMap {
  readonly #toMlflow = new Map<string, string>();

  constructor(names: Iterable<string>) {
    const byCandidate = new Map<string, string[]>();
    for (const name of new Set(names)) {
      const candidate = toMlflowKey(name);
      byCandidate.set(candidate, [...(byCandidate.get(candidate) ?? []), name]);
    }
    const taken = new Set<string>();
    for (const [candidate, originals] of byCandidate) {
      if (originals.length === 1) {
        this.#toMlflow.set(originals[0]!, candidate);
        taken.add(candidate);
      }
    }
    for (const [candidate, originals] of byCandidate) {
      if (originals.length === 1) continue;
      for (const name of originals) {
        let key = name === candidate ? candidate : withHashSuffix(candidate, name);
        for (let n = 1; taken.has(key); n++) key = withHashSuffix(candidate, `${name}#${n}`);
        this.#toMlflow.set(name, key);
        taken.add(key);
      }
    }
  }

  /** The MLflow name of a Myelin name (one not given to the constructor is mapped on its own). */
  key(name: string): string {
    return this.#toMlflow.get(name) ?? toMlflowKey(name);
  }

  /** `[MLflow name, Myelin name]` of every renamed name, sorted by MLflow name. */
  get renamed(): [string, string][] {
    return [...this.#toMlflow]
      .filter(([name, key]) => name !== key)
      .map(([name, key]): [string, string] => [key, name])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The tags that record the renaming (none when nothing was renamed). */
  tags(): MlflowTag[] {
    const chunks: string[] = [];
    let parts: string[] = [];
    let length = 2;
    for (const [key, name] of this.renamed) {
      // a Myelin name longer than a whole tag is recorded cut (with its hash in the MLflow name)
      const part = `${JSON.stringify(key)}:${JSON.stringify(cutText(name, MLFLOW_LIMITS.tagValue - 600))}`;
      if (parts.length && length + part.length + 1 > MLFLOW_LIMITS.tagValue) {
        chunks.push(`{${parts.join(',')}}`);
        parts = [];
        length = 2;
      }
      parts.push(part);
      length += part.length + 1;
    }
    if (parts.length) chunks.push(`{${parts.join(',')}}`);
    if (chunks.length === 1) return [{ key: KEYMAP_TAG, value: chunks[0]! }];
    return chunks.map((value, i) => ({ key: `${KEYMAP_TAG}.${i + 1}`, value }));
  }
}

/**
 * The Myelin name of every renamed MLflow param, metric or tag name, read from the
 * `myelin.keymap` tag(s) of a run or model version (`MLflow name → Myelin name`).
 *
 * @example readKeyMap(run.data.tags).get('validate.columns.Body Mass _g_.max') // 'validate.columns.Body Mass (g).max'
 */
export function readKeyMap(tags: MlflowTag[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tags ?? []) {
    if (t.key !== KEYMAP_TAG && !t.key.startsWith(`${KEYMAP_TAG}.`)) continue;
    try {
      for (const [k, v] of Object.entries(JSON.parse(t.value) as Record<string, unknown>)) {
        if (typeof v === 'string') out.set(k, v);
      }
    } catch {
      // not written by Myelin: ignore
    }
  }
  return out;
}
