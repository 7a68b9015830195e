import { engineGpus, type EngineGpus } from '@myelin/training';

/**
 * The GPUs this worker can train on: the CUDA devices the training engine sees (libtorch's
 * device count through the torch addon), not merely the cards `nvidia-smi` lists — a card no
 * engine can use would only fail jobs. 0, with the reason, when no GPU engine is usable.
 *
 * @example detectGpus() // { count: 1, detail: 'libtorch 2.11.0 sees 1 CUDA device' }
 */
export function detectGpus(): EngineGpus {
  return engineGpus();
}
