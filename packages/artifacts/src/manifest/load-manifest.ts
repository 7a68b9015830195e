import { MyelinError } from '@myelin/errors';
import type { ArtifactStore } from '../artifact-store.js';
import type { ModelManifest } from './model-manifest.js';
import { parseManifest } from './parse-manifest.js';

/**
 * Reads a manifest by its key (hash verified) and checks its shape.
 * Missing: `MYELIN_ERR_ARTIFACT_NOT_FOUND`; corrupt or not a manifest: `MYELIN_ERR_ARTIFACT_INTEGRITY`.
 * It does not re-hash the files it lists; use `verifyManifest` for that.
 */
export async function loadManifest(store: ArtifactStore, key: string): Promise<ModelManifest> {
  const bytes = await store.getBytes(key);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_INTEGRITY',
      `${key} is not a model manifest: it is not JSON`,
      undefined,
      {
        cause: e,
      },
    );
  }
  return parseManifest(value, key);
}
