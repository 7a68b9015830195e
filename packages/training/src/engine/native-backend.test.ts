import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadNativeBackend, type ModuleImporter } from './native-backend.js';
import { selectBackendUncached } from './select-backend.js';

// Stand-ins for the optional native packages, which are not installed here. The code under test
// (loader and selection) is real; only the package import is replaced.

const bindingMissing: ModuleImporter = () => {
  const e = new Error(
    "Cannot find module '/x/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'",
  ) as Error & { code: string };
  e.code = 'MODULE_NOT_FOUND';
  return Promise.reject(e);
};

/** Registers a `tensorflow` backend (a cpu backend in disguise) with the flags tfjs-node exposes. */
function fakeNativeGpuPackage(
  flags: { isGPUPackage: boolean; isUsingGpuDevice: boolean },
  withKernels: boolean,
): ModuleImporter {
  return async () => {
    if (withKernels) {
      for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
    }
    const Cpu = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
    tf.registerBackend('tensorflow', () => Object.assign(new Cpu(), flags));
  };
}

function unregisterFake(): void {
  tf.removeBackend('tensorflow');
  for (const k of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(k.kernelName, 'tensorflow');
}

describe('native backends', () => {
  it('reports a present package whose native binding fails as "failed to load", not "not installed"', async () => {
    const r = await loadNativeBackend('@tensorflow/tfjs-node-gpu', bindingMissing);
    expect(r).toEqual({
      ok: false,
      why: expect.stringMatching(/^failed to load: Cannot find module .*tfjs_binding\.node/),
    });
  });

  it('requireGpu: a GPU build that sees no CUDA device is refused', async () => {
    await tf.setBackend('cpu');
    const importModule = fakeNativeGpuPackage({ isGPUPackage: true, isUsingGpuDevice: false }, false);
    await expect(selectBackendUncached({ requireGpu: true }, { importModule, env: {} })).rejects.toThrow(
      /no GPU backend is usable: tensorflow-gpu: @tensorflow\/tfjs-node-gpu loaded, but sees no CUDA device/,
    );
    unregisterFake();
  });

  it('a native backend that fails the self-test is skipped with the reason', async () => {
    await tf.setBackend('cpu');
    const importModule = fakeNativeGpuPackage({ isGPUPackage: true, isUsingGpuDevice: true }, false);
    const info = await selectBackendUncached({}, { importModule, env: {} });
    expect(info.name).toBe('wasm');
    expect(info.reason[0]).toMatch(/^tensorflow-gpu: self-test failed: threw .*kernel/i);
    unregisterFake();
  });

  it('a GPU build that sees a device and passes the self-test is chosen as tensorflow-gpu', async () => {
    await tf.setBackend('cpu');
    const importModule = fakeNativeGpuPackage({ isGPUPackage: true, isUsingGpuDevice: true }, true);
    const info = await selectBackendUncached({ requireGpu: true }, { importModule, env: {} });
    expect(info).toEqual({ name: 'tensorflow-gpu', tfBackend: 'tensorflow', gpu: true, reason: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    await tf.setBackend('cpu');
    unregisterFake();
  });
});
