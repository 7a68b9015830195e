import type { ArtifactStore } from '@myelin/artifacts';
import { tfjsToOnnx, type TfjsToOnnxOptions } from './tfjs-to-onnx.js';

/**
 * Builds `model.onnx` from a served tfjs model kept in the artifact store (the keys of its
 * `model.json` and `weights.bin`) and stores it; returns the ONNX file's content key.
 * An unsupported layer: `MYELIN_ERR_ONNX_EXPORT`.
 *
 * @example
 * const key = await storeOnnxExport(store, { modelJson, weights }, { name: 'penguins' });
 */
export async function storeOnnxExport(
  store: Pick<ArtifactStore, 'getBytes' | 'put'>,
  keys: { modelJson: string; weights: string },
  options: TfjsToOnnxOptions = {},
): Promise<string> {
  const [modelJson, weights] = await Promise.all([
    store.getBytes(keys.modelJson),
    store.getBytes(keys.weights),
  ]);
  const { bytes } = tfjsToOnnx({ modelJson, weights }, options);
  const { key } = await store.put(bytes, { contentType: 'application/octet-stream' });
  return key;
}
