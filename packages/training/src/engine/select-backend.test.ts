import * as tf from '@tensorflow/tfjs';
import { isMyelinError } from '@myelin/errors';
import { describe, expect, it } from 'vitest';
import { useBackend } from './available-backends.js';
import { defaultImporter } from './native-backend.js';
import { selectBackend, selectBackendUncached } from './select-backend.js';

// Here neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed.
const deps = (env: Record<string, string | undefined> = {}) => ({ importModule: defaultImporter, env });

async function errorOf(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe('selectBackend', () => {
  it('requireGpu without a GPU backend fails with MYELIN_ERR_BACKEND saying why, never running on CPU', async () => {
    const err = await errorOf(selectBackendUncached({ requireGpu: true }, deps()));
    expect(isMyelinError(err) && err.code).toBe('MYELIN_ERR_BACKEND');
    expect(err.message).toMatch(/no GPU backend is usable/);
    expect(err.message).toMatch(/@tensorflow\/tfjs-node-gpu not installed/);
  });

  it('falls through the missing native packages to wasm, logging why each was skipped', async () => {
    const lines: string[] = [];
    const info = await selectBackend({ log: (m) => lines.push(m) });
    expect(info).toMatchObject({ name: 'wasm', tfBackend: 'wasm', gpu: false });
    expect(info.reason).toEqual([
      'tensorflow-gpu: @tensorflow/tfjs-node-gpu not installed',
      'tensorflow: @tensorflow/tfjs-node not installed',
    ]);
    expect(tf.getBackend()).toBe('wasm');
    expect(lines.at(-1)).toMatch(/^backend wasm selected/);
    expect(lines.some((l) => l.includes('tensorflow-gpu skipped'))).toBe(true);
    // wasm comes with the extra gradient kernels
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('is idempotent: the same result, and the same backend again after a benchmark switched away', async () => {
    const first = await selectBackend();
    await useBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const second = await selectBackend({ prefer: 'cpu' });
    expect(second).toBe(first);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('refuses requireGpu once the process runs on a CPU backend', async () => {
    const err = await errorOf(selectBackend({ requireGpu: true }));
    expect(err.code).toBe('MYELIN_ERR_BACKEND');
    expect(err.message).toMatch(/GPU backend is required.*already runs on wasm/);
  });

  it('MYELIN_BACKEND moves a candidate to the front and overrides prefer', async () => {
    const cpu = await selectBackendUncached({ prefer: 'wasm' }, deps({ MYELIN_BACKEND: 'cpu' }));
    expect(cpu).toEqual({ name: 'cpu', tfBackend: 'cpu', gpu: false, reason: [] });
    const wasm = await selectBackendUncached({ prefer: 'wasm' }, deps());
    expect(wasm).toEqual({ name: 'wasm', tfBackend: 'wasm', gpu: false, reason: [] });
    const err = await errorOf(selectBackendUncached({}, deps({ MYELIN_BACKEND: 'gpu' })));
    expect(err.message).toMatch(/MYELIN_BACKEND must be one of tensorflow, wasm, cpu, got "gpu"/);
  });

  it('prefer tensorflow falls back in the default order when no native package is present', async () => {
    const info = await selectBackendUncached({}, deps({ MYELIN_BACKEND: 'tensorflow' }));
    expect(info.name).toBe('wasm');
    expect(info.reason).toHaveLength(2);
  });
});
