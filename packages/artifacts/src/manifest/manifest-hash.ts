import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { ModelManifest } from './model-manifest.js';

/**
 * The sha256 hex of a manifest's canonical JSON. It equals the sha256 of the artifact
 * `storeManifest` writes, so `contentKey(manifestHash(m))` is the manifest's key.
 */
export function manifestHash(manifest: ModelManifest): string {
  return createHash('sha256').update(canonicalJson(manifest), 'utf8').digest('hex');
}
