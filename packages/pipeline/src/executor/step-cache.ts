import { createHash } from 'node:crypto';
import { canonicalJson, type ArtifactStore } from '@myelin/artifacts';
import type { StepOutputs } from '../run/step-context.js';
import { getJson, putJson } from '../util/json-artifacts.js';

/** The cache key of a step: its name, the code version, its own config slice and its inputs' outputs. */
export function stepCacheKey(step: string, codeVersion: string, parts: unknown, inputs: unknown): string {
  return createHash('sha256').update(canonicalJson({ step, codeVersion, parts, inputs })).digest('hex');
}

function refName(step: string, key: string): string {
  return `cache/${step}/${key}`;
}

function artifactKeys(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.startsWith('sha256/')) out.push(value);
  else if (Array.isArray(value)) for (const v of value) artifactKeys(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) artifactKeys(v, out);
  return out;
}

/** A step's outputs are a JSON object (not an array, not null). */
function isStepOutputs(value: unknown): value is StepOutputs {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cached outputs of a step, when every artifact they reference is still in the store. */
export async function readStepCache(
  store: ArtifactStore,
  step: string,
  key: string,
): Promise<StepOutputs | null> {
  const ref = await store.getRef(refName(step, key));
  if (!ref) return null;
  try {
    const outputs = await getJson<unknown>(store, ref);
    if (!isStepOutputs(outputs)) return null; // not a step's outputs: a damaged entry
    for (const k of artifactKeys(outputs)) if (!(await store.head(k))) return null;
    return outputs;
  } catch {
    return null; // a damaged cache entry is a miss, never a failure
  }
}

export async function writeStepCache(
  store: ArtifactStore,
  step: string,
  key: string,
  outputs: StepOutputs,
): Promise<void> {
  await store.putRef(refName(step, key), await putJson(store, outputs));
}
