import { loadManifest, verifyManifest, type ModelManifest } from '@myelin/artifacts/manifest';
import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore, VersionRecord } from '@myelin/registry';
import { parseModelRef, resolveModelRef } from './model-ref.js';

export interface VerifyResult {
  ok: boolean;
  version: VersionRecord;
  manifest: ModelManifest | null;
  problems: { file: string; key: string; problem: string }[];
}

/**
 * Re-hashes every file of a registered version (and the manifest itself): `ok` only when all
 * match. A tampered manifest is reported as the problem file `manifest.json`.
 */
export async function verifyModelVersion(
  meta: MetadataStore,
  store: ArtifactStore,
  refText: string,
): Promise<VerifyResult> {
  const version = await resolveModelRef(meta, parseModelRef(refText));
  let manifest: ModelManifest;
  try {
    manifest = await loadManifest(store, version.manifestKey);
  } catch (e) {
    return {
      ok: false,
      version,
      manifest: null,
      problems: [
        {
          file: 'manifest.json',
          key: version.manifestKey,
          problem: e instanceof Error ? e.message : String(e),
        },
      ],
    };
  }
  const r = await verifyManifest(store, manifest);
  return { ok: r.ok, version, manifest, problems: r.problems };
}
