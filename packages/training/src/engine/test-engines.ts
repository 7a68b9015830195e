import * as tf from '@tensorflow/tfjs';
import { loadTorchAddon } from './torch-addon.js';
import { torchEngine } from './torch-engine.js';
import { tfjsEngine } from './tfjs-engine.js';
import type { TrainingEngine } from './training-engine.js';

/**
 * The engines the engine-neutral tests run on: tfjs on its cpu backend (always), and torch on
 * the CPU when the addon is built here. With `MYELIN_REQUIRE_TORCH=1` (as .ci/run sets it) a
 * missing torch engine is an error instead of a smaller list, so CI cannot pass without it.
 */
export async function testEngines(): Promise<{ name: string; engine: TrainingEngine }[]> {
  await tf.setBackend('cpu');
  const out = [
    { name: 'tfjs-cpu', engine: tfjsEngine({ name: 'cpu', tfBackend: 'cpu', gpu: false, reason: [] }) },
  ];
  const torch = loadTorchAddon();
  if (torch.ok) {
    torch.addon.setNumThreads(1);
    out.push({ name: 'torch-cpu', engine: torchEngine(torch.addon, 'cpu') });
  } else if (process.env['MYELIN_REQUIRE_TORCH'] === '1') {
    throw new Error(`MYELIN_REQUIRE_TORCH=1 but the torch engine is not usable: ${torch.why}`);
  }
  return out;
}
