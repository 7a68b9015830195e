import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from '@myelin/artifacts';
import { ArrowFileColumns, type ColumnTable } from '@myelin/data';
import { getDatasetManifest, spillDataset } from './dataset-artifacts.js';

/**
 * A stored dataset for whole-column access, one column in memory at a time; `close` it. Parts the
 * store keeps in local files are read in place (`ArrowFileColumns`: one pass over each part,
 * hash checked, finds its batches; a column is then a few reads per batch); from any other store
 * (S3) the dataset is streamed once into column files on local disk (`SpilledColumns`).
 */
export async function datasetColumns(store: ArtifactStore, key: string): Promise<ColumnTable> {
  const manifest = await getDatasetManifest(store, key);
  const files = manifest.parts.map((p) => store.locate(p.key));
  if (!files.every((f) => f.startsWith('file:'))) return spillDataset(store, key);
  return ArrowFileColumns.open(manifest, async (part) => ({
    path: fileURLToPath(store.locate(part)),
    bytes: await store.get(part),
  }));
}
