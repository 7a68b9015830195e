import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module at `url`. Compiled JavaScript runs as it is; a
 * TypeScript module (the dev loop and the tests run the sources) is loaded through tsx's loader,
 * registered inside the worker first, as `apps/cli/bin/myelin.js` does for the main thread.
 * Returns undefined when a TypeScript module cannot be loaded (no tsx installed): callers then
 * do the work in their own thread.
 */
export function startModuleWorker(url: URL, workerData: unknown): Worker | undefined {
  if (!fileURLToPath(url).endsWith('.ts')) return new Worker(url, { workerData });
  let tsx: string;
  try {
    // the ESM entry of tsx's API, next to its package.json
    const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
    tsx = pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  } catch {
    return undefined;
  }
  const boot =
    `import(${JSON.stringify(tsx)}).then((m) => { (m.register ?? m.default.register)(); ` +
    `return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
