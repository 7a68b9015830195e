import { modelFile, type ArtifactStore, type ModelManifest } from '@myelin/artifacts';
import {
  deserializePreprocessor,
  parseTargetEncoder,
  type FittedPreprocessor,
  type TargetEncoder,
} from '@myelin/data';
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

/** Loads a model version's files from the store (every read hash-verified by the store). */
export async function loadModelBundle(store: ArtifactStore, manifest: ModelManifest): Promise<ModelBundle> {
  const [modelJson, weights] = await Promise.all([
    store.getBytes(modelFile(manifest, 'model-json').key),
    store.getBytes(modelFile(manifest, 'weights').key),
  ]);
  const model = await loadModelFromBytes({ modelJson, weights });
  const preprocessor = deserializePreprocessor(await getJson(store, modelFile(manifest, 'preprocessor').key));
  const targetEncoder = parseTargetEncoder(
    await getJson<unknown>(store, modelFile(manifest, 'target-encoder').key),
  );
  return { manifest, model, preprocessor, targetEncoder };
}
