import { fstatSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const threadFile = fileURLToPath(new URL('./parent-watchdog-thread.mjs', import.meta.url));

/**
 * Ties this process's life to its parent's: a thread blocks on `fd` (the stdin pipe the parent
 * forked it with) and SIGKILLs this process the moment the parent's end closes — the kernel closes
 * it when the parent dies, SIGKILL included. It works while the main thread is blocked (a training
 * epoch), which the IPC channel's `disconnect` event cannot: that waits for the event loop.
 * Returns false (and does nothing) when `fd` is not a pipe or socket (not forked with one).
 *
 * @example if (process.send) watchParent(); // in a sandboxed child
 */
export function watchParent(fd = 0): boolean {
  let info;
  try {
    info = fstatSync(fd);
  } catch {
    return false;
  }
  if (!info.isFIFO() && !info.isSocket()) return false;
  const thread = new Worker(threadFile, { workerData: { fd }, stdout: false, stderr: false });
  thread.unref();
  return true;
}
