import type { ArtifactStore } from '@myelin/artifacts';
import type { Row } from '@myelin/data';

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

/** Rows as JSON Lines: the canonical dataset artifact between steps (its sha256 is the data hash). */
export function rowsToJsonl(rows: Row[]): Uint8Array {
  return enc.encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

export function jsonlToRows(bytes: Uint8Array): Row[] {
  const text = dec.decode(bytes);
  const rows: Row[] = [];
  for (const line of text.split('\n')) if (line) rows.push(JSON.parse(line) as Row);
  return rows;
}
