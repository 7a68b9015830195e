/**
 * The CSV scan worker: once told where to start (a resume point of the scanner that read the file
 * up to there), reads the file from there and runs `CsvScanner` in its own thread, sending column
 * batches to the thread that started it (at most `window` ahead of the ones taken, so memory stays
 * bounded), so that scanning and the analysis of the batches run on two cores.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from '../column-batch.js';
import type { CsvScanJob, CsvScanMessage, CsvScanOrder } from './csv-scan-protocol.js';
import { transferList } from './csv-scan-protocol.js';
import { CsvScanner, type CsvResumePoint } from './csv-scanner.js';

const job = workerData as CsvScanJob;
const port = parentPort;
if (!port) throw new Error('csv-scan-worker must run in a worker thread');

let credit = job.window;
let wake: (() => void) | undefined;
let startAt: ((from: CsvResumePoint) => void) | undefined;
const started = new Promise<CsvResumePoint>((resolve) => (startAt = resolve));
port.on('message', (m: CsvScanOrder) => {
  if (m.type === 'start') {
    startAt?.(m.from);
    return;
  }
  credit += m.credit;
  wake?.();
});

function send(m: CsvScanMessage, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof port>).postMessage(m, transfer);
}

async function run(): Promise<void> {
  send({ type: 'ready' });
  const from = await started;
  const scanner = new CsvScanner(job.display, job.delimiter, from);
  const out: ColumnBatch[] = [];
  let bytes = from.offset;
  const flush = async (): Promise<void> => {
    while (out.length > 0) {
      while (credit <= 0) await new Promise<void>((r) => (wake = r));
      const take = out.splice(0, Math.min(out.length, credit));
      credit -= take.length;
      send({ type: 'batches', batches: take, bytes }, transferList(take));
    }
  };
  const input = createReadStream(job.path, { highWaterMark: job.chunkBytes, start: from.offset });
  for await (const chunk of input as AsyncIterable<Buffer>) {
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
