import type { ArtifactContent, ArtifactStore } from '../artifact-store.js';
import type { ManifestFile, ManifestFileRole } from './model-manifest.js';

/**
 * Stores one model file and returns its manifest entry.
 * @example files.push(await storeManifestFile(store, 'weights', 'group1-shard1of1.bin', weightBytes));
 */
export async function storeManifestFile(
  store: ArtifactStore,
  role: ManifestFileRole,
  name: string,
  content: ArtifactContent,
): Promise<ManifestFile> {
  const { key, sha256, size } = await store.put(content);
  return { role, name, key, sha256, size };
}
