import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PlanLayer } from '../model/model-plan.js';
import type { LossName } from '../model/loss-names.js';
import type { NamedArray } from '../train/checkpoint-state.js';

/** What `info()` of the addon reports. */
export interface TorchAddonInfo {
  torchVersion: string;
  cudaAvailable: boolean;
  cudaDeviceCount: number;
  threads: number;
  parallelInfo: string;
  cxx11Abi: boolean;
}

/** The optimizer hyper-parameters the addon takes (tfjs's update rules and defaults). */
export interface TorchOptimizerInit {
  name: 'sgd' | 'momentum' | 'adam' | 'rmsprop';
  learningRate: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  decay: number;
}

/** `new Session(init)`: the plan, the optimizer, clipping, the device and the initial weights. */
export interface TorchSessionInit {
  inputShape: number[];
  layers: PlanLayer[];
  loss: LossName;
  regression: boolean;
  optimizer: TorchOptimizerInit;
  clipNorm: number;
  clipValue: number;
  /** `cpu` or `cuda:N`. */
  device: string;
  state: NamedArray[];
}

/** What one native epoch returns. */
export interface TorchEpochResult {
  loss: number;
  score: number;
  trainMs: number;
  valLoss?: number;
  valScore?: number;
  /** Set when the loss stopped being finite: the 1-based step and the loss. */
  nonFiniteStep?: number;
  nonFiniteValue?: number;
}

/** The addon's Session (native/bindings.h). */
export interface TorchNativeSession {
  setTrainingData(x: Float32Array, y: Float32Array, n: number, w?: Float32Array): void;
  setValidationData(x: Float32Array, y: Float32Array, n: number): void;
  runEpoch(args: {
    epoch: number;
    batchSize: number;
    learningRate: number;
    shuffleSeed: number;
    dropoutSeed: number;
  }): Promise<TorchEpochResult>;
  predict(x: Float32Array, n: number, batchSize: number): Promise<Float32Array>;
  getState(): NamedArray[];
  setState(state: readonly NamedArray[]): void;
  getOptimizerState(): { iterations: number; slots: NamedArray[] };
  setOptimizerState(state: { iterations: number; slots: readonly NamedArray[] }): void;
  forwardBackward(
    x: Float32Array,
    n: number,
    upstream: Float32Array,
    training: boolean,
  ): { output: Float32Array; inputGrad: Float32Array; grads: NamedArray[] };
  dispose(): void;
}

/** The loaded addon. */
export interface TorchAddon {
  Session: new (init: TorchSessionInit) => TorchNativeSession;
  info(): TorchAddonInfo;
  setNumThreads(n: number): number;
  /** Returns the C heap's free pages to the system (glibc's malloc_trim); absent from older builds. */
  trimHeap?(): boolean;
}

/** The addon, or why it cannot be used. */
export type TorchAddonLoad = { ok: true; addon: TorchAddon; path: string } | { ok: false; why: string };

const HOW = 'apt-get install libtorch-dev (or set LIBTORCH), then npm rebuild @myelin/torch-addon';

/** Where the built addon is: `MYELIN_TORCH_ADDON`, else the @myelin/torch-addon package's build folder. */
export function torchAddonPath(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env['MYELIN_TORCH_ADDON']) return env['MYELIN_TORCH_ADDON'];
  try {
    const pkg = createRequire(import.meta.url).resolve('@myelin/torch-addon/package.json');
    return join(dirname(pkg), 'build', 'Release', 'myelin_torch.node');
  } catch {
    return undefined;
  }
}

let cached: TorchAddonLoad | undefined;

/**
 * Loads the torch addon once per process (a native module cannot be unloaded). Never throws:
 * a missing build, a file that is no addon, or a libtorch of another version or ABI (an
 * undefined symbol when the dynamic loader resolves it) come back as `{ ok: false, why }`.
 *
 * Before loading it caps OpenBLAS's own thread pool at one thread (unless OPENBLAS_NUM_THREADS
 * is set): libtorch's intra-op threads are the one pool Myelin sizes; two pools of N threads on
 * N cores ran several times slower.
 */
export function loadTorchAddon(env: Record<string, string | undefined> = process.env): TorchAddonLoad {
  cached ??= loadTorchAddonFrom(torchAddonPath(env));
  return cached;
}

/** `loadTorchAddon` without the per-process cache, from a given path (tests load broken files). */
export function loadTorchAddonFrom(path: string | undefined): TorchAddonLoad {
  if (!path) return { ok: false, why: `@myelin/torch-addon is not installed; ${HOW}` };
  if (!existsSync(path)) {
    return { ok: false, why: `the addon is not built (no libtorch was found when it was installed): ${HOW}` };
  }
  process.env['OPENBLAS_NUM_THREADS'] ??= '1';
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<TorchAddon>;
    if (typeof addon.Session !== 'function' || typeof addon.info !== 'function') {
      return { ok: false, why: `${path} is not the Myelin torch addon` };
    }
    // what the process freed so far, and what libtorch's load allocated and freed again, would
    // otherwise stay resident beside the training's memory: hand it back to the system
    addon.trimHeap?.();
    return { ok: true, addon: addon as TorchAddon, path };
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    const abi = /undefined symbol|version `/.test(message)
      ? '; it was built against another libtorch or C++ ABI than the one found now'
      : '';
    return {
      ok: false,
      why: `the addon failed to load: ${message}${abi}; rebuild it: npm rebuild @myelin/torch-addon`,
    };
  }
}
