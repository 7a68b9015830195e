import { loadTorchAddon, predictBatches } from '@myelin/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStack, penguinsSpec, type TestStack } from '../test-support/register-test-model.js';
import { loadModelVersion } from './load-model-version.js';
import { TORCH_PARITY_TOLERANCE } from './version-predictor.js';

let t: TestStack;
beforeAll(async () => {
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 5, aliases: ['production'] }));
});
afterAll(async () => t?.dispose());

const addon = loadTorchAddon();

describe('the predictor a served version runs', () => {
  it('is the tfjs model by default', async () => {
    const loaded = await loadModelVersion(t.stack.store, (await t.stack.meta.getVersion('penguins', 1))!);
    try {
      expect(loaded.predictor.engine).toBe('tfjs');
    } finally {
      loaded.predictor.dispose();
    }
  });

  it.skipIf(!addon.ok)(
    'with engine torch, is the torch addon and predicts what the tfjs model does',
    async () => {
      const lines: string[] = [];
      const rec = (await t.stack.meta.getVersion('penguins', 1))!;
      const loaded = await loadModelVersion(t.stack.store, rec, {
        engine: 'torch',
        log: (l) => lines.push(l),
      });
      try {
        expect(lines).toEqual([]);
        expect(loaded.predictor.engine).toBe('torch');
        const d = loaded.inputWidth;
        const n = 300; // more than one native batch of 256
        const x = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.37) * 2);
        const [got, again] = await Promise.all([
          loaded.predictor.predict(x, n, 256),
          loaded.predictor.predict(x.subarray(0, 7 * d), 7, 256),
        ]);
        const want = predictBatches(loaded.tfModel, x, n, d, 256);
        expect(got.length).toBe(want.length);
        let diff = 0;
        for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
        expect(diff).toBeLessThanOrEqual(TORCH_PARITY_TOLERANCE);
        // rows predicted in a smaller batch, concurrently: the same rows' answers within the
        // parity tolerance (libtorch may pick another matmul kernel for another batch size, so
        // not bit for bit), and bit for bit what the same call gives alone (no cross-talk)
        let batchDiff = 0;
        for (let i = 0; i < again.length; i++) batchDiff = Math.max(batchDiff, Math.abs(again[i]! - got[i]!));
        expect(batchDiff).toBeLessThanOrEqual(TORCH_PARITY_TOLERANCE);
        const alone = await loaded.predictor.predict(x.subarray(0, 7 * d), 7, 256);
        expect(Array.from(again)).toEqual(Array.from(alone));
      } finally {
        loaded.predictor.dispose();
      }
    },
  );
});
