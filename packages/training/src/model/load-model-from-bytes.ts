import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import type { ModelBytes } from './serialize-model.js';

function malformed(detail: string, cause?: unknown): MyelinError {
  return new MyelinError('MYELIN_ERR_ARTIFACT_INTEGRITY', `saved model is malformed: ${detail}`, undefined, {
    cause,
  });
}

/**
 * Loads a model written by `serializeModel` (or any tfjs layers-model `model.json` whose
 * manifest lists a single weights file) from memory with `tf.io.fromMemory`. A model saved after
 * `compile` comes back compiled with the same loss.
 * Throws `MYELIN_ERR_ARTIFACT_INTEGRITY` when the bytes do not hold such a model, or the weights
 * file is shorter or longer than the manifest says.
 *
 * @example
 * const model = await loadModelFromBytes({ modelJson, weights });
 */
export async function loadModelFromBytes(bytes: ModelBytes): Promise<tf.LayersModel> {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.modelJson)) as tf.io.ModelJSON;
  } catch (e) {
    throw malformed('model.json is not JSON', e);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw malformed('model.json lacks modelTopology or weightsManifest');
  }
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const expected = weightSpecs.reduce((sum, w) => {
    const bytesPer =
      w.dtype === 'float32' || w.dtype === 'int32' || w.dtype === undefined
        ? 4
        : w.dtype === 'bool'
          ? 1
          : NaN;
    return sum + w.shape.reduce((a, b) => a * b, 1) * bytesPer;
  }, 0);
  if (Number.isFinite(expected) && expected !== bytes.weights.byteLength) {
    throw malformed(`weights.bin holds ${bytes.weights.byteLength} bytes, the manifest needs ${expected}`);
  }
  // Copy into a fresh ArrayBuffer: the bytes may be a view into a larger buffer. (A Node Buffer's
  // own .slice() is a view too — small Buffers sit inside Node's shared pool — so copy through
  // Uint8Array's slice, which always copies.)
  const weightData = Uint8Array.prototype.slice.call(bytes.weights).buffer;
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs,
        weightData,
        ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
        ...(json.format ? { format: json.format } : {}),
      }),
    );
  } catch (e) {
    throw malformed(e instanceof Error ? e.message : String(e), e);
  }
}
