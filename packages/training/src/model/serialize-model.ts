import * as tf from '@tensorflow/tfjs';

/** The two files of a saved tfjs layers model, as bytes. */
export interface ModelBytes {
  /** `model.json`: topology, training config and a weights manifest pointing at `weights.bin`. */
  modelJson: Uint8Array;
  /** `weights.bin`: every weight, concatenated in manifest order. */
  weights: Uint8Array;
}

/** The file name the manifest in `model.json` gives the weights. */
export const WEIGHTS_FILE_NAME = 'weights.bin';

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The Keras-style training config of a model compiled with a loss name (undefined otherwise). */
function trainingConfigOf(model: tf.LayersModel): tf.io.TrainingConfig | undefined {
  if (!model.optimizer || typeof model.loss !== 'string') return undefined;
  return {
    loss: snakeCase(model.loss),
    metrics: [],
    optimizer_config: { class_name: model.optimizer.getClassName(), config: model.optimizer.getConfig() },
  };
}

/**
 * Saves a model to bytes without a file-system handler (none exists without tfjs-node):
 * a `tf.io.withSaveHandler` collects the artifacts and writes the standard tfjs layers-model
 * `model.json` (format `layers-model`) with one weights group at `weights.bin`, plus the training
 * config (loss, optimizer name) of a compiled model, but never optimizer weights. The pair can be
 * stored anywhere and served as-is to `tf.loadLayersModel`, or read back with `loadModelFromBytes`.
 *
 * @example
 * const { modelJson, weights } = await serializeModel(model);
 * await store.put('model/model.json', modelJson); await store.put('model/weights.bin', weights);
 */
export async function serializeModel(model: tf.LayersModel): Promise<ModelBytes> {
  let saved: ModelBytes | undefined;
  // tfjs writes the training config (loss) only together with the optimizer's weights; keep the
  // loss without them, so a loaded model knows what it was trained on.
  const trainingConfig = trainingConfigOf(model);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ?? new ArrayBuffer(0);
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData));
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        ...(trainingConfig ? { trainingConfig } : {}),
        weightsManifest: [{ paths: [WEIGHTS_FILE_NAME], weights: artifacts.weightSpecs ?? [] }],
      };
      saved = { modelJson: new TextEncoder().encode(JSON.stringify(json)), weights };
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: saved.modelJson.byteLength,
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
  if (!saved) throw new Error('tfjs did not call the save handler');
  return saved;
}
