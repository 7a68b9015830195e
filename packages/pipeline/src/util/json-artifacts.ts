import type { ArtifactStore } from '@myelin/artifacts';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Stores a JSON value as an artifact; returns its key. */
export async function putJson(store: ArtifactStore, value: unknown): Promise<string> {
  const { key } = await store.put(enc.encode(JSON.stringify(value)), { contentType: 'application/json' });
  return key;
}

/** Reads a JSON artifact (hash verified by the store). */
export async function getJson<T>(store: ArtifactStore, key: string): Promise<T> {
  return JSON.parse(dec.decode(await store.getBytes(key))) as T;
}
