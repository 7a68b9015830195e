import type { ArtifactStore } from '@myelin/artifacts';
import {
  ARROW_STREAM_TYPE,
  SpilledColumns,
  parseDatasetManifest,
  readDataset,
  writeDataset,
  type ColumnBatch,
  type DatasetManifest,
} from '@myelin/data';
import { getJson } from './json-artifacts.js';

/** A stored dataset: the manifest's key and sha256 (the run's data hash) and the manifest. */
export interface StoredDataset {
  key: string;
  sha256: string;
  manifest: DatasetManifest;
}

/**
 * Stores column batches as a dataset: Arrow IPC stream parts streamed into the store as they are
 * written, then the JSON manifest that lists them (its key is the dataset's key).
 */
export async function putDataset(
  store: ArtifactStore,
  batches: AsyncIterable<ColumnBatch>,
): Promise<StoredDataset> {
  const manifest = await writeDataset(
    batches,
    async (bytes) => (await store.put(bytes, { contentType: ARROW_STREAM_TYPE })).key,
  );
  const { key, sha256 } = await store.put(new TextEncoder().encode(JSON.stringify(manifest)), {
    contentType: 'application/json',
  });
  return { key, sha256, manifest };
}

/** The manifest of a stored dataset. */
export async function getDatasetManifest(store: ArtifactStore, key: string): Promise<DatasetManifest> {
  return parseDatasetManifest(await getJson<unknown>(store, key), key);
}

/** Streams a stored dataset's rows as column batches (one batch in memory at a time; hashes verified). */
export async function* datasetBatches(store: ArtifactStore, key: string): AsyncGenerator<ColumnBatch> {
  const manifest = await getDatasetManifest(store, key);
  yield* readDataset(manifest, (part) => store.get(part));
}

/**
 * Reads a stored dataset once (streamed, hashes verified) into column files on local disk, for
 * whole-column access with one column in memory at a time (see `SpilledColumns`); `close` it.
 */
export async function spillDataset(store: ArtifactStore, key: string): Promise<SpilledColumns> {
  return SpilledColumns.from(datasetBatches(store, key));
}
