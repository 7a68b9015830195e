import { MyelinError } from '@myelin/errors';
import type { ArtifactStore } from '../artifact-store.js';
import { parseContentKey } from '../artifact-keys.js';
import type { ManifestFile, ModelManifest } from './model-manifest.js';

/**
 * The files of a model version by role, with the name each is stored under: the one table the
 * register step writes manifests from and every loader (evaluation's champion, the server, export)
 * reads them by.
 */
export const MODEL_FILES = {
  /** The engine-neutral model file: plan and canonical weights. */
  model: 'model.safetensors',
  /** The served tfjs model's topology and weights manifest. */
  'model-json': 'model.json',
  /** The served tfjs model's weights. */
  weights: 'weights.bin',
  /** The same model as an ONNX graph (absent when the export does not support a layer). */
  onnx: 'model.onnx',
  /** The preprocessing fitted on the training split, replayed when serving. */
  preprocessor: 'preprocessor.json',
  /** How target labels map to model outputs and back. */
  'target-encoder': 'target-encoder.json',
  /** The training data's schema (validation of requests). */
  schema: 'schema.json',
  /** The training data's statistics (drift baseline). */
  profile: 'profile.json',
  /** The evaluation report of the version. */
  evaluation: 'evaluation.json',
} as const;

/** A role of a model version file. */
export type ModelFileRole = keyof typeof MODEL_FILES;

/**
 * The manifest entry of a stored artifact in a role: its name from {@link MODEL_FILES}, its hash
 * from the key, its size from the store.
 *
 * @example await modelFileEntry(store, 'weights', 'sha256/ab/…') // { role: 'weights', name: 'weights.bin', key, sha256, size }
 * @throws MyelinError MYELIN_ERR_ARTIFACT_NOT_FOUND when the store does not hold the key
 */
export async function modelFileEntry(store: ArtifactStore, role: ModelFileRole, key: string): Promise<ManifestFile> {
  const name = MODEL_FILES[role];
  const head = await store.head(key);
  if (!head)
    throw new MyelinError('MYELIN_ERR_ARTIFACT_NOT_FOUND', `artifact ${key} (${name}) is missing`, { path: role });
  return { role, name, key, sha256: parseContentKey(key) ?? '', size: head.size };
}

/** The first file of a role in a manifest, or undefined when it lists none. */
export function findModelFile(manifest: ModelManifest, role: ModelFileRole): ManifestFile | undefined {
  return manifest.files.find((f) => f.role === role);
}

/**
 * The first file of a role in a manifest.
 *
 * @throws MyelinError MYELIN_ERR_ARTIFACT_NOT_FOUND naming the model and the role when it lists none
 */
export function modelFile(manifest: ModelManifest, role: ModelFileRole): ManifestFile {
  const f = findModelFile(manifest, role);
  if (!f)
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_NOT_FOUND',
      `the manifest of ${manifest.model} lists no "${role}" file (${MODEL_FILES[role]})`,
      { path: `files.${role}` },
    );
  return f;
}
