import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { initialModel } from '../model/tfjs-model.js';
import { engineGpus, selectEngineWith } from './select-engine.js';
import { loadTorchAddon, loadTorchAddonFrom, type TorchAddonLoad } from './torch-addon.js';
import { torchEngine } from './torch-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const torch = loadTorchAddon();
const absent: TorchAddonLoad = {
  ok: false,
  why: 'the addon is not built (no libtorch was found when it was installed): …',
};

describe('loading the torch addon', () => {
  it('says how to enable it when it is not built', () => {
    const r = loadTorchAddonFrom(join(dir, 'missing.node'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toMatch(
      /not built .*apt-get install libtorch-dev .*npm rebuild @myelin\/torch-addon/,
    );
  });

  it('refuses a file that is not a loadable addon, and says to rebuild', () => {
    const garbage = join(dir, 'garbage.node');
    writeFileSync(garbage, 'not an ELF file');
    const r = loadTorchAddonFrom(garbage);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toMatch(/failed to load: .*rebuild it: npm rebuild @myelin\/torch-addon/);
  });

  it.runIf(existsSync('/usr/lib/x86_64-linux-gnu/libz.so.1'))(
    'refuses a shared library that is no Node addon',
    () => {
      const lib = join(dir, 'libz.node');
      copyFileSync('/usr/lib/x86_64-linux-gnu/libz.so.1', lib);
      const r = loadTorchAddonFrom(lib);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.why).toMatch(/failed to load|not the Myelin torch addon/);
    },
  );

  const gcc = spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;
  it.runIf(gcc)('explains a build against another libtorch or ABI (an undefined symbol at load)', () => {
    // what an addon built against one libtorch looks like to the loader when another is installed:
    // a symbol it needs (here a std::string overload of the other C++ ABI) is not there
    const src = join(dir, 'other-abi.c');
    const lib = join(dir, 'other-abi.node');
    writeFileSync(
      src,
      'extern int _ZN3c106detail19OtherAbiOnlySymbolB5cxx11E;\nint *p = &_ZN3c106detail19OtherAbiOnlySymbolB5cxx11E;\n',
    );
    expect(spawnSync('gcc', ['-shared', '-fPIC', '-o', lib, src]).status).toBe(0);
    const r = loadTorchAddonFrom(lib);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toMatch(
      /undefined symbol: .*another libtorch or C\+\+ ABI .*npm rebuild @myelin\/torch-addon/,
    );
  });
});

describe('selectEngine', () => {
  const deps = (env: Record<string, string | undefined>, load: () => TorchAddonLoad = () => absent) => ({
    env,
    loadAddon: load,
  });

  it('falls back to tfjs without the torch addon, and says why', async () => {
    const lines: string[] = [];
    const engine = await selectEngineWith({ log: (m) => lines.push(m) }, deps({}));
    expect(engine.info.engine).toBe('tfjs');
    expect(engine.info.reason[0]).toMatch(/^torch: the addon is not built/);
    expect(lines.join('\n')).toMatch(
      /engine torch skipped: the addon is not built[\s\S]*engine tfjs selected \(tfjs 4\.\d+\.\d+, /,
    );
  });

  it('a forced engine that cannot run is an error, never a silent fallback', async () => {
    const err = await selectEngineWith({}, deps({ MYELIN_ENGINE: 'torch' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MyelinError);
    expect((err as MyelinError).code).toBe('MYELIN_ERR_BACKEND');
    expect((err as MyelinError).message).toMatch(
      /no training engine is usable: torch: the addon is not built/,
    );
    await expect(selectEngineWith({}, deps({ MYELIN_ENGINE: 'pytorch' }))).rejects.toThrow(
      /MYELIN_ENGINE must be one of torch, tfjs/,
    );
  });

  it('MYELIN_BACKEND means the tfjs engine', async () => {
    const engine = await selectEngineWith(
      {},
      deps({ MYELIN_BACKEND: 'cpu' }, () => torch),
    );
    expect(engine.info.engine).toBe('tfjs');
  });

  it.runIf(torch.ok)(
    'refuses threads that are not a positive integer, naming where they came from',
    async () => {
      await expect(
        selectEngineWith(
          {},
          deps({ MYELIN_THREADS: 'two' }, () => torch),
        ),
      ).rejects.toMatchObject({
        code: 'MYELIN_ERR_BACKEND',
        location: { path: 'MYELIN_THREADS' },
      });
    },
  );

  it('a GPU run with no GPU engine is an error naming both engines', async () => {
    const err = await selectEngineWith(
      { requireGpu: true },
      deps({}, () => torch),
    ).catch((e: unknown) => e);
    expect((err as MyelinError).code).toBe('MYELIN_ERR_BACKEND');
    expect((err as MyelinError).message).toMatch(
      /a GPU engine is required, but none is usable: torch: .*; tfjs: /,
    );
  });
});

describe.runIf(torch.ok)('the torch engine', () => {
  const addon = (torch as { ok: true; addon: import('./torch-addon.js').TorchAddon }).addon;

  it('is chosen first when its addon loads and passes the self-test, with the threads asked for', async () => {
    const lines: string[] = [];
    const engine = await selectEngineWith(
      { threads: 1, log: (m) => lines.push(m) },
      { env: {}, loadAddon: () => torch },
    );
    expect(engine.info).toMatchObject({ engine: 'torch', device: 'cpu', threads: 1, gpu: false });
    expect(engine.info.version).toMatch(/^libtorch \d+\.\d+/);
    expect(lines.at(-1)).toMatch(/^engine torch selected \(libtorch .*, cpu, 1 thread\)/);
  });

  it('trains off the main thread: the event loop keeps running during an epoch', async () => {
    const engine = torchEngine(addon, 'cpu');
    const n = 20_000;
    const model = initialModel({
      layers: [{ dense: { units: 256, activation: 'relu' } }],
      task: 'regression',
      inputShape: [64],
      seed: 1,
    });
    const s = await engine.open({
      plan: model.plan,
      weights: model.weights,
      train: { x: new Float32Array(n * 64).fill(0.5), y: new Float32Array(n), n },
      optimizer: { name: 'adam', learningRate: 0.001 },
      batchSize: 16,
      seed: 1,
    });
    try {
      let ticks = 0;
      let done = false;
      const epoch = s.runEpoch(1, 0.001).finally(() => (done = true));
      // each tick is a macrotask: it runs only while the main thread is free
      while (!done && ticks < 3) {
        await new Promise((r) => setImmediate(r));
        if (!done) ticks++;
      }
      await epoch;
      expect(ticks).toBe(3);
    } finally {
      s.dispose();
    }
  });

  it('names the layer it cannot run', () => {
    expect(
      () =>
        new addon.Session({
          inputShape: [2],
          // a plan from a newer Myelin, decoded from JSON: a layer kind this engine does not know
          layers: JSON.parse('[{"kind":"lstm","source":0}]'),
          loss: 'meanSquaredError',
          regression: true,
          optimizer: {
            name: 'sgd',
            learningRate: 0.1,
            momentum: 0,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
            decay: 0.9,
          },
          clipNorm: 0,
          clipValue: 0,
          device: 'cpu',
          state: [],
        }),
    ).toThrow(/the torch engine has no layer "lstm"/);
  });

  it('fails a batch too big for memory with a clear error, and keeps working', async () => {
    const engine = torchEngine(addon, 'cpu');
    const n = 100_000;
    const d = 10;
    // a 1,000,000-unit layer on 100,000 rows at once: 400 GB of activations
    const model = initialModel({
      layers: [{ dense: { units: 1_000_000 } }],
      task: 'regression',
      inputShape: [d],
      seed: 1,
    });
    const x = new Float32Array(n * d);
    const y = new Float32Array(n);
    const s = await engine.open({
      plan: model.plan,
      weights: model.weights,
      train: { x, y, n },
      optimizer: { name: 'sgd', learningRate: 0.1 },
      batchSize: n,
      seed: 1,
    });
    try {
      const err = await s.runEpoch(1, 0.1).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MyelinError);
      expect((err as MyelinError).detail).toMatch(
        /^out of memory in epoch 1: .*lower train\.batchSize or the layer sizes/,
      );
      expect((err as MyelinError).location?.path).toBe('train.batchSize');
    } finally {
      s.dispose();
    }
    // the process trains on afterwards
    const small = initialModel({ layers: [], task: 'regression', inputShape: [2], seed: 1 });
    const ok = await engine.open({
      plan: small.plan,
      weights: small.weights,
      train: { x: new Float32Array([1, 2, 3, 4]), y: new Float32Array([1, 2]), n: 2 },
      optimizer: { name: 'sgd', learningRate: 0.01 },
      batchSize: 2,
      seed: 1,
    });
    try {
      expect(Number.isFinite((await ok.runEpoch(1, 0.01)).loss)).toBe(true);
    } finally {
      ok.dispose();
    }
  });
});

describe('engineGpus (the worker sizes its gpu queue with it)', () => {
  it('counts no GPU without a usable engine, and says why', () => {
    expect(engineGpus(() => absent)).toEqual({
      count: 0,
      detail: expect.stringMatching(/^the torch engine is not usable \(the addon is not built/),
    });
  });
  it.runIf(torch.ok)("counts libtorch's CUDA devices", () => {
    const g = engineGpus(() => torch);
    const info = (torch as { ok: true; addon: import('./torch-addon.js').TorchAddon }).addon.info();
    expect(g.count).toBe(info.cudaAvailable ? info.cudaDeviceCount : 0);
    expect(g.detail).toMatch(/^libtorch \d+\.\d+\.\d+ sees (no|\d+) CUDA devices?$/);
  });
});
