import type { ArtifactStore, ModelManifest } from '@myelin/artifacts';
import { deserializePreprocessor, type FittedPreprocessor, type TargetEncoder } from '@myelin/data';
import { loadModelFromBytes } from '@myelin/training';
import type * as tf from '@tensorflow/tfjs';
import { getJson } from '../util/json-artifacts.js';

/** A registered model version loaded for prediction: the tfjs model with its fitted preprocessing. */
export interface ModelBundle {
  manifest: ModelManifest;
  model: tf.LayersModel;
  preprocessor: FittedPreprocessor;
  targetEncoder: TargetEncoder;
}

export function manifestFile(m: ModelManifest, role: string): ModelManifest['files'][number] {
  const f = m.files.find((x) => x.role === role);
  if (!f) throw new Error(`manifest of ${m.model} has no ${role} file`);
  return f;
}

/** Loads a model version's files from the store (every read hash-verified by the store). */
export async function loadModelBundle(store: ArtifactStore, manifest: ModelManifest): Promise<ModelBundle> {
  const [modelJson, weights] = await Promise.all([
    store.getBytes(manifestFile(manifest, 'model-json').key),
    store.getBytes(manifestFile(manifest, 'weights').key),
  ]);
  const model = await loadModelFromBytes({ modelJson, weights });
  const preprocessor = deserializePreprocessor(
    await getJson(store, manifestFile(manifest, 'preprocessor').key),
  );
  const targetEncoder = await getJson<TargetEncoder>(store, manifestFile(manifest, 'target-encoder').key);
  return { manifest, model, preprocessor, targetEncoder };
}
