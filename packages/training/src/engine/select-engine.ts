import { availableParallelism } from 'node:os';
import { MyelinError } from '@myelin/errors';
import type { ModelPlan } from '../model/model-plan.js';
import { openTfjsEngine } from './tfjs-engine.js';
import { loadTorchAddon, type TorchAddon, type TorchAddonLoad } from './torch-addon.js';
import { torchEngine } from './torch-engine.js';
import { ENGINE_NAMES, type EngineName, type TrainingEngine } from './training-engine.js';

/** Options of `selectEngine`. */
export interface SelectEngineOptions {
  /**
   * Train on a GPU (`train.resources.gpu ≥ 1`): torch on CUDA, else tfjs-node-gpu; no silent CPU run.
   * @defaultValue false
   */
  requireGpu?: boolean;
  /**
   * Intra-op threads of the torch engine (`train.resources.cpu`); `MYELIN_THREADS` overrides.
   * @defaultValue the cores this process may use (`os.availableParallelism()`)
   */
  threads?: number;
  /** Engine to try first; `MYELIN_ENGINE` (or `MYELIN_BACKEND`, which means tfjs) forces one. */
  prefer?: EngineName;
  /** Receives the line naming the engine and one per skipped candidate. */
  log?: (msg: string) => void;
}

/** What the selection needs from outside; tests replace the addon loader. */
export interface SelectEngineDeps {
  env: Record<string, string | undefined>;
  loadAddon: () => TorchAddonLoad;
}

const SELF_TEST_PLAN: ModelPlan = {
  formatVersion: 1,
  inputShape: [2],
  layers: [{ kind: 'dense', source: 0, inputs: 2, units: 2, activation: 'linear', l1: 0, l2: 0 }],
  outputs: 2,
  loss: 'meanSquaredError',
  task: 'regression',
};

const selfTests = new Map<string, Promise<string | null>>();

/**
 * A forward pass through a dense layer with weights worked out by hand, and one epoch at
 * learning rate 0 whose loss must be the mean squared error of that output.
 * @returns null when it passes, else what went wrong.
 */
async function torchSelfTest(addon: TorchAddon, device: string): Promise<string | null> {
  const engine = torchEngine(addon, device);
  const x = new Float32Array([1, 1, 2, -1]);
  const y = new Float32Array([3.5, 6, 0.5, 0]);
  const want = [3.5, 6, 0.5, 1];
  try {
    const s = await engine.open({
      plan: SELF_TEST_PLAN,
      weights: [
        { name: '0.weight', shape: [2, 2], dtype: 'float32', data: new Float32Array([1, 2, 3, 4]) },
        { name: '0.bias', shape: [2], dtype: 'float32', data: new Float32Array([0.5, -1]) },
      ],
      train: { x, y, n: 2 },
      optimizer: { name: 'sgd', learningRate: 0 },
      batchSize: 2,
      seed: 1,
    });
    try {
      const out = await s.predict(x, 2);
      if (!want.every((v, i) => Math.abs((out[i] ?? NaN) - v) <= 1e-5))
        return `a dense layer gave [${Array.from(out).join(', ')}], expected [${want.join(', ')}]`;
      const r = await s.runEpoch(1, 0);
      if (Math.abs(r.loss - 0.25) > 1e-5) return `the loss of a known batch was ${r.loss}, expected 0.25`;
      return null;
    } finally {
      s.dispose();
    }
  } catch (e) {
    return `threw ${e instanceof Error ? e.message : String(e)}`;
  }
}

function threadsFor(opts: SelectEngineOptions, env: Record<string, string | undefined>): number {
  const fromEnv = env['MYELIN_THREADS'];
  const n =
    fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : (opts.threads ?? availableParallelism());
  if (!Number.isInteger(n) || n < 1) {
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `threads must be a positive integer, got ${fromEnv ?? String(opts.threads)}`,
      {
        path: fromEnv !== undefined ? 'MYELIN_THREADS' : 'train.resources.cpu',
      },
    );
  }
  return n;
}

function forced(opts: SelectEngineOptions, env: Record<string, string | undefined>): EngineName | undefined {
  const name = env['MYELIN_ENGINE']?.trim();
  if (name) {
    if (!(ENGINE_NAMES as readonly string[]).includes(name)) {
      throw new MyelinError(
        'MYELIN_ERR_BACKEND',
        `MYELIN_ENGINE must be one of ${ENGINE_NAMES.join(', ')}, got "${name}"`,
      );
    }
    return name as EngineName;
  }
  if (env['MYELIN_BACKEND']?.trim()) return 'tfjs';
  return undefined;
}

/**
 * Picks the training engine, in one place: `torch` (libtorch through @myelin/torch-addon) when
 * the addon loads and passes a self-test, else `tfjs` on the backend `selectBackend` picks.
 * `MYELIN_ENGINE=torch|tfjs` forces one (`MYELIN_BACKEND` forces tfjs); a forced engine that
 * cannot run is an error, never a silent fallback. With `requireGpu`, torch must see a CUDA
 * device (`cuda:0`: the worker narrows `CUDA_VISIBLE_DEVICES` to the job's GPU) and tfjs must be
 * tfjs-node-gpu on one. The torch engine's intra-op threads are set here for the process.
 *
 * @throws MYELIN_ERR_BACKEND when no engine is usable, saying why for each.
 * @example
 * const engine = await selectEngine({ threads: 2, log: (m) => ctx.log(m) });
 * engine.info; // { engine: 'torch', version: 'libtorch 1.13.0', device: 'cpu', threads: 2, gpu: false, reason: [] }
 */
export async function selectEngine(opts: SelectEngineOptions = {}): Promise<TrainingEngine> {
  return selectEngineWith(opts, { env: process.env, loadAddon: () => loadTorchAddon() });
}

/** The selection with its dependencies given (tests). */
export async function selectEngineWith(
  opts: SelectEngineOptions,
  deps: SelectEngineDeps,
): Promise<TrainingEngine> {
  const log = opts.log ?? (() => undefined);
  const force = forced(opts, deps.env);
  const first = force ?? opts.prefer;
  const order: EngineName[] = force
    ? [force]
    : first
      ? [first, ...ENGINE_NAMES.filter((e) => e !== first)]
      : [...ENGINE_NAMES];
  const reason: string[] = [];
  const skip = (name: EngineName, why: string): void => {
    reason.push(`${name}: ${why}`);
    log(`engine ${name} skipped: ${why}`);
  };

  for (const name of order) {
    if (name === 'torch') {
      const loaded = deps.loadAddon();
      if (!loaded.ok) {
        skip('torch', loaded.why);
        continue;
      }
      const info = loaded.addon.info();
      if (opts.requireGpu && !(info.cudaAvailable && info.cudaDeviceCount > 0)) {
        skip('torch', `libtorch ${info.torchVersion} sees no CUDA device`);
        continue;
      }
      const threads = threadsFor(opts, deps.env);
      loaded.addon.setNumThreads(threads);
      const device = opts.requireGpu ? 'cuda:0' : 'cpu';
      const key = `${loaded.path}|${device}`;
      if (!selfTests.has(key)) selfTests.set(key, torchSelfTest(loaded.addon, device));
      const failure = await selfTests.get(key);
      if (failure) {
        skip('torch', `self-test on ${device} failed: ${failure}`);
        continue;
      }
      const engine = torchEngine(loaded.addon, device, reason);
      log(describe(engine));
      return engine;
    }
    try {
      const engine = await openTfjsEngine({ ...(opts.requireGpu ? { requireGpu: true } : {}), reason });
      log(describe(engine));
      return engine;
    } catch (e) {
      skip('tfjs', e instanceof Error ? e.message : String(e));
    }
  }
  const what = opts.requireGpu
    ? 'a GPU engine is required, but none is usable'
    : 'no training engine is usable';
  throw new MyelinError('MYELIN_ERR_BACKEND', `${what}: ${reason.join('; ')}`);
}

/** `engine torch selected (libtorch 1.13.0, cpu, 2 threads); skipped: …` */
export function describe(engine: TrainingEngine): string {
  const i = engine.info;
  const threads = i.engine === 'torch' ? `, ${i.threads} thread${i.threads === 1 ? '' : 's'}` : '';
  return `engine ${i.engine} selected (${i.version}, ${i.device}${threads})${i.reason.length ? `; skipped: ${i.reason.join('; ')}` : ''}`;
}

/** The GPUs training can use here, and why that many. */
export interface EngineGpus {
  count: number;
  detail: string;
}

/**
 * How many CUDA devices the training engines can train on in this process: the torch engine's
 * (libtorch's device count), else 0 with the reason. The worker sizes its gpu queue with it.
 *
 * @example engineGpus() // { count: 2, detail: 'libtorch 2.11.0 sees 2 CUDA devices' }
 */
export function engineGpus(load: () => TorchAddonLoad = () => loadTorchAddon()): EngineGpus {
  const loaded = load();
  if (!loaded.ok) return { count: 0, detail: `the torch engine is not usable (${loaded.why})` };
  const info = loaded.addon.info();
  const count = info.cudaAvailable ? info.cudaDeviceCount : 0;
  return {
    count,
    detail: `libtorch ${info.torchVersion} sees ${count === 0 ? 'no' : count} CUDA device${count === 1 ? '' : 's'}`,
  };
}
