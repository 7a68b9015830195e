import * as tf from '@tensorflow/tfjs';
import { isMyelinError } from '@myelin/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBackendMemory, WASM_SAFE_HEAP_BYTES } from './memory-guard.js';
import { initWasmBackend } from './wasm-backend.js';

beforeAll(async () => {
  await initWasmBackend();
});

describe('assertBackendMemory', () => {
  it('on wasm, refuses work that would pass the safe bound, saying how much and the bound', async () => {
    await tf.setBackend('wasm');
    let err: unknown;
    try {
      assertBackendMemory(3.5 * 1024 ** 3, 'training set of 1200000 rows');
    } catch (e) {
      err = e;
    }
    expect(isMyelinError(err) && err.code).toBe('MYELIN_ERR_BACKEND_MEMORY');
    expect((err as Error).message).toMatch(/training set of 1200000 rows needs 3\.50 GiB/);
    expect((err as Error).message).toMatch(/safe bound is 3\.00 GiB/);
    expect((err as Error).message).toMatch(/one batch at a time/);
  });

  it('counts what the backend already holds', async () => {
    await tf.setBackend('wasm');
    const held = tf.zeros([1024, 1024]); // 4 MiB
    expect(() => assertBackendMemory(WASM_SAFE_HEAP_BYTES - 1024, 'batch')).toThrow(/already holds 4\.0 MiB/);
    held.dispose();
    expect(() => assertBackendMemory(64 * 1024 ** 2, 'batch')).not.toThrow();
  });

  it('rejects nonsense sizes on wasm and is a no-op on cpu', async () => {
    await tf.setBackend('wasm');
    expect(() => assertBackendMemory(Number.NaN, 'x')).toThrow(/MYELIN|needs/);
    await tf.setBackend('cpu');
    expect(() => assertBackendMemory(10 * 1024 ** 3, 'x')).not.toThrow();
  });
});
