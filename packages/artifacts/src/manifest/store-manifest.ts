import type { ArtifactStore } from '../artifact-store.js';
import { canonicalJson } from './canonical-json.js';
import type { ModelManifest } from './model-manifest.js';
import { parseManifest } from './parse-manifest.js';

/**
 * Checks the manifest and stores its canonical JSON as an artifact. The returned content key
 * identifies this model version; storing the same manifest again returns the same key.
 */
export async function storeManifest(store: ArtifactStore, manifest: ModelManifest): Promise<string> {
  parseManifest(manifest);
  const bytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const { key } = await store.put(bytes, { contentType: 'application/json' });
  return key;
}
