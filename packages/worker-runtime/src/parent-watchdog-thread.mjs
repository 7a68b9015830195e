// The watchdog thread of a sandboxed step process (see parent-watchdog.ts). It blocks reading the
// pipe the worker holds the other end of; the kernel closes that end when the worker dies, however
// it dies, so the read returns end-of-file and this thread kills the whole process at once, even
// while its main thread is busy inside a training epoch. Plain JavaScript: no loader in a thread.
import { readSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const fd = workerData.fd;
const buffer = Buffer.alloc(256);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  let n;
  try {
    n = readSync(fd, buffer, 0, buffer.length, null);
  } catch (e) {
    if (e && (e.code === 'EAGAIN' || e.code === 'EWOULDBLOCK')) {
      Atomics.wait(pause, 0, 0, 20); // a non-blocking pipe: look again shortly
      continue;
    }
    if (e && e.code === 'EINTR') continue;
    n = 0; // the pipe broke: the worker is gone
  }
  if (n === 0) break;
}
process.kill(process.pid, 'SIGKILL');
