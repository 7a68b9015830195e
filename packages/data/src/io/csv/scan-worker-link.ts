import type { Worker } from 'node:worker_threads';
import type { CsvScanMessage, CsvScanOrder } from './csv-scan-protocol.js';
import type { CsvResumePoint } from './csv-scanner.js';

/**
 * The thread-side end of a CSV scan worker: whether it is ready to take over, the order to start,
 * and its messages in arrival order (`next` waits for one). A failure or exit before `start` only
 * means the worker is not there (`ready` stays false): the caller goes on scanning itself.
 */
export class ScanWorkerLink {
  ready = false;
  private started = false;
  private readonly queue: CsvScanMessage[] = [];
  private failure: unknown;
  private exited = false;
  private notify: (() => void) | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: CsvScanMessage) => {
      if (m.type === 'ready') {
        this.ready = true;
        return;
      }
      this.queue.push(m);
      this.wake();
    });
    worker.on('error', (e) => {
      this.ready = false;
      this.failure = e;
      this.wake();
    });
    worker.on('exit', () => {
      this.ready = false;
      this.exited = true;
      this.wake();
    });
  }

  /** Tells the worker to scan the file from `from` on. */
  start(from: CsvResumePoint): void {
    this.started = true;
    this.order({ type: 'start', from });
  }

  /** Lets the worker send `n` more batches. */
  credit(n: number): void {
    this.order({ type: 'credit', credit: n });
  }

  /**
   * The next message once started; undefined when the worker stopped without one (after throwing
   * its failure, if it had one).
   */
  async next(): Promise<CsvScanMessage | undefined> {
    if (!this.started) throw new Error('the scan worker was not started');
    while (this.queue.length === 0 && !this.exited && this.failure === undefined)
      await new Promise<void>((r) => (this.notify = r));
    const m = this.queue.shift();
    if (!m && this.failure !== undefined) throw this.failure;
    return m;
  }

  stop(): void {
    void this.worker.terminate();
  }

  private order(m: CsvScanOrder): void {
    this.worker.postMessage(m);
  }

  private wake(): void {
    const n = this.notify;
    this.notify = undefined;
    n?.();
  }
}
