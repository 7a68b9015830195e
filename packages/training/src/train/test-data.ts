import type { TrainConfig } from './train-config.js';

/** Deterministic uniform numbers in [−1, 1) for test data (an LCG; not for production use). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/** Tiny synthetic binary problem: y = 1 when x0 + x1 > 0. */
export function binaryData(n: number, d = 4, seed = 1): { x: Float32Array; y: Float32Array } {
  const r = lcg(seed);
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = r();
    y[i] = (x[i * d] as number) + (x[i * d + 1] as number) > 0 ? 1 : 0;
  }
  return { x, y };
}

/** Tiny synthetic 3-class problem (one-hot y): the class is the arg-max of x0, x1, x2. */
export function multiclassData(n: number, d = 4, seed = 2): { x: Float32Array; y: Float32Array } {
  const r = lcg(seed);
  const x = new Float32Array(n * d);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = r();
    let c = 0;
    for (let j = 1; j < 3; j++) if ((x[i * d + j] as number) > (x[i * d + c] as number)) c = j;
    y[i * 3 + c] = 1;
  }
  return { x, y };
}

/** Tiny synthetic regression: y = 2·x0 − x1. */
export function regressionData(n: number, d = 3, seed = 3): { x: Float32Array; y: Float32Array } {
  const r = lcg(seed);
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = r();
    y[i] = 2 * (x[i * d] as number) - (x[i * d + 1] as number);
  }
  return { x, y };
}

/** A small training configuration for tests. */
export function testConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    epochs: 5,
    batchSize: 16,
    optimizer: { name: 'adam', learningRate: 0.02 },
    seed: 7,
    checkpointEvery: 0,
    ...overrides,
  };
}
