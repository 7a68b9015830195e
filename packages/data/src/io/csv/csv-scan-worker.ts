/**
 * The CSV scan worker: reads the file and runs `CsvScanner` in its own thread, sending column
 * batches to the thread that started it (at most `window` ahead of the ones taken, so memory stays
 * bounded), so that scanning and the analysis of the batches run on two cores.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from '../column-batch.js';
import type { CsvScanJob, CsvScanMessage } from './csv-scan-protocol.js';
import { transferList } from './csv-scan-protocol.js';
import { CsvScanner } from './csv-scanner.js';

const job = workerData as CsvScanJob;
const port = parentPort;
if (!port) throw new Error('csv-scan-worker must run in a worker thread');

let credit = job.window;
let wake: (() => void) | undefined;
port.on('message', (m: { credit: number }) => {
  credit += m.credit;
  wake?.();
});

function send(m: CsvScanMessage, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof port>).postMessage(m, transfer);
}

async function run(): Promise<void> {
  const scanner = new CsvScanner(job.display, job.delimiter);
  const out: ColumnBatch[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    while (out.length > 0) {
      while (credit <= 0) await new Promise<void>((r) => (wake = r));
      const take = out.splice(0, Math.min(out.length, credit));
      credit -= take.length;
      send({ type: 'batches', batches: take, bytes }, transferList(take));
    }
  };
  for await (const chunk of createReadStream(job.path, { highWaterMark: job.chunkBytes }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    scanner.push(chunk, out);
    await flush();
  }
  scanner.end(out);
  await flush();
  send({ type: 'end', names: scanner.names, rows: scanner.rows, bytes });
}

run().then(
  () => port.close(),
  (e: unknown) => {
    if (e instanceof MyelinError) send({ type: 'error', code: e.code, detail: e.detail, ...(e.location ? { location: e.location } : {}) });
    else send({ type: 'error', detail: (e as Error).message ?? String(e) });
    port.close();
  },
);
