import { createHash } from 'node:crypto';
import { MyelinError } from '@myelin/errors';
import { parseContentKey } from '../artifact-keys.js';
import type { ArtifactStore } from '../artifact-store.js';
import type { ModelManifest } from './model-manifest.js';

/** One file of a manifest that failed verification. */
export interface ManifestProblem {
  /** The file's `name` in the manifest. */
  file: string;
  key: string;
  problem: 'missing' | 'hash-mismatch' | 'size-mismatch';
}

/** The outcome of `verifyManifest`. */
export interface ManifestVerification {
  ok: boolean;
  problems: ManifestProblem[];
}

/**
 * Re-hashes every file a manifest lists and reports each one that is missing, has another size,
 * or another hash than the manifest says (or whose key does not match its recorded sha256).
 * Only I/O failures throw; content problems are returned.
 */
export async function verifyManifest(
  store: ArtifactStore,
  manifest: ModelManifest,
): Promise<ManifestVerification> {
  const problems: ManifestProblem[] = [];
  for (const f of manifest.files) {
    const report = (problem: ManifestProblem['problem']): void => {
      problems.push({ file: f.name, key: f.key, problem });
    };
    const info = await store.head(f.key);
    if (info === null) {
      report('missing');
      continue;
    }
    if (info.size !== f.size) {
      report('size-mismatch');
      continue;
    }
    if (parseContentKey(f.key) !== f.sha256) {
      report('hash-mismatch');
      continue;
    }
    const hash = createHash('sha256');
    try {
      for await (const chunk of await store.get(f.key)) hash.update(chunk);
    } catch (e) {
      if (e instanceof MyelinError && e.code === 'MYELIN_ERR_ARTIFACT_INTEGRITY') {
        report('hash-mismatch');
        continue;
      }
      if (e instanceof MyelinError && e.code === 'MYELIN_ERR_ARTIFACT_NOT_FOUND') {
        report('missing');
        continue;
      }
      throw e;
    }
    if (hash.digest('hex') !== f.sha256) report('hash-mismatch');
  }
  return { ok: problems.length === 0, problems };
}
