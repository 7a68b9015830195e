import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialModel } from '../model/tfjs-model.js';
import { trainModel } from '../train/train-model.js';
import { useBackend } from './available-backends.js';
import { loadTorchAddon, type TorchAddon } from './torch-addon.js';
import { torchEngine } from './torch-engine.js';

const torch = loadTorchAddon();
if (!torch.ok && process.env['MYELIN_REQUIRE_TORCH'] === '1') {
  throw new Error(`MYELIN_REQUIRE_TORCH=1 but the torch engine is not usable: ${torch.why}`);
}
const threadsOfThisProcess = (): number => readdirSync('/proc/self/task').length;

/**
 * A session computes on one thread of its own, so its OpenMP pool is one: epochs queued through
 * libuv ran on whichever of its threads took them, each of which grew a pool of its own, and
 * with more pooled threads than cores libgomp stops spinning between parallel regions (the CNN
 * ran at half its 1-thread speed with 2 threads). Counted through /proc (Linux).
 */
describe.runIf(torch.ok && process.platform === 'linux')('torch engine compute thread', () => {
  it('runs every epoch of a session on one thread: the process gains one compute thread and one pool, not one per epoch', async () => {
    if (!torch.ok) return;
    const threadsBefore = torch.addon.info().threads;
    torch.addon.setNumThreads(2);
    try {
      await trainTwice(torch.addon);
    } finally {
      torch.addon.setNumThreads(threadsBefore); // intra-op threads are process-wide
    }
  }, 60_000);
});

/** Trains twice; the second training's thread count is checked against the first's. */
async function trainTwice(addon: TorchAddon): Promise<void> {
  await useBackend('cpu'); // tfjs builds the seeded initial weights
  const rows = 2048;
  const x = Float32Array.from({ length: rows * 64 }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  const y = new Float32Array(rows * 10);
  for (let r = 0; r < rows; r++) y[r * 10 + (r % 10)] = 1;
  const train = (epochs: number, onEpoch?: () => void) =>
    trainModel({
      engine: torchEngine(addon, 'cpu'),
      model: initialModel({
        layers: [
          { conv2d: { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' } },
          { maxPooling2d: { poolSize: 2 } },
        ],
        task: 'multiclass',
        numClasses: 10,
        inputShape: [8, 8, 1],
        seed: 3,
      }),
      x,
      y,
      xShape: [rows, 64],
      yShape: [rows, 10],
      task: 'multiclass',
      config: {
        epochs,
        batchSize: 32,
        optimizer: { name: 'adam', learningRate: 1e-3 },
        seed: 3,
        checkpointEvery: 0,
      },
      ...(onEpoch ? { onEpoch } : {}),
    });
  // a first training brings up libuv's thread pool (all of its threads at once)
  await train(1);
  const before = threadsOfThisProcess();
  let most = before;
  const result = await train(8, () => void (most = Math.max(most, threadsOfThisProcess())));
  expect(result.history).toHaveLength(8);
  // while it trains: its compute thread and that thread's one OpenMP worker (2 intra-op threads)
  expect(most - before).toBeLessThanOrEqual(2);
  // and when it is done, both are gone with the session
  expect(threadsOfThisProcess() - before).toBeLessThanOrEqual(0);
}
