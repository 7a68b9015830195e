import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { torchAddonPath } from './torch-addon.js';

let pending: Promise<void> | undefined;

/**
 * Starts loading the torch addon (and with it libtorch, whose dynamic loading and static
 * initialisers take about a second of CPU) on a worker thread, so a run pays for it while its
 * data steps work instead of at the start of training. The library stays loaded for the
 * process: the later `loadTorchAddon` on the main thread finds it and returns in a millisecond.
 *
 * Never throws and never decides anything: a failed load here (no build, another ABI) is found
 * again, and reported, by `loadTorchAddon`. Does nothing when `MYELIN_ENGINE`/`MYELIN_BACKEND`
 * force tfjs or the addon is not built. Idempotent; the promise settles when the load is done.
 *
 * @example
 * void preloadTorchAddon(); // at the start of a run that trains
 * // … ingest, validate, preprocess …
 * await selectEngine({}); // no second wait for libtorch
 */
export function preloadTorchAddon(env: Record<string, string | undefined> = process.env): Promise<void> {
  if (pending) return pending;
  const forcedTfjs =
    env['MYELIN_ENGINE'] === 'tfjs' || (!env['MYELIN_ENGINE'] && !!env['MYELIN_BACKEND']?.trim());
  const path = torchAddonPath(env);
  if (forcedTfjs || !path || !existsSync(path)) return (pending = Promise.resolve());
  // OpenBLAS reads its thread count once, when libtorch loads it (see loadTorchAddon)
  process.env['OPENBLAS_NUM_THREADS'] ??= '1';
  return (pending = loadOnWorkerThread(path));
}

/**
 * Loads a native module on a short-lived worker thread; settles (never rejects) when the thread
 * is done, whether the load worked or not.
 */
export function loadOnWorkerThread(path: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const worker = new Worker(`require(${JSON.stringify(path)});`, {
      eval: true,
      stdout: true,
      stderr: true,
    });
    worker.unref();
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}

/** The preload in flight, if one was started (selectEngine waits for it before loading). */
export function torchAddonPreload(): Promise<void> | undefined {
  return pending;
}
