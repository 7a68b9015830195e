import { createReadStream } from 'node:fs';
import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from './column-batch.js';
import type { CsvScanJob } from './csv/csv-scan-protocol.js';
import { CsvScanner, type CsvResumePoint } from './csv/csv-scanner.js';
import { ScanWorkerLink } from './csv/scan-worker-link.js';
import { startModuleWorker } from './csv/start-module-worker.js';
import type { ProgressTracker } from './progress-tracker.js';
import type { ResolvedSource } from './resolved-source.js';

/** Bytes read from the file at a time. */
export const CSV_CHUNK_BYTES = 1 << 20;
/**
 * Files at least this big are scanned in a worker thread, ahead of the consumer: below it the
 * worker's start-up (it loads its modules and warms up its own JIT, ~0.4 s of CPU) costs more than
 * it saves. Above it the worker pays even where other processes keep both cores busy: the kernel
 * shares CPU time out per thread, so two threads get more of it than one.
 */
export const CSV_WORKER_MIN_BYTES = 64 << 20;
/** The first chunk's leading bytes scanned on their own (see `scanHere`). */
const WARM_BYTES = 1 << 16;
/**
 * Batches the worker may scan ahead of the consumer (each about 9 MB at 1M cells). Four rather than
 * two: on the 3M-row flights CSV the worker's scan is the slower side, and with two it still
 * stalled on backpressure whenever the analysing thread lost its core for a while (cpu-prof idle
 * of the worker 155 -> 55 ms, 2.0 -> 1.1 s in a loaded run), for no change in peak RSS (~195 MB).
 */
const WINDOW = 4;

/**
 * Streams the data rows of a CSV (or TSV) file as column batches. Files of 64 MiB and more get a
 * worker thread: this thread scans from the start while the worker boots, then, at the first
 * batch boundary once it is ready, the worker takes over from there (see `CsvResumePoint`) and
 * parses ahead of the consumer (at most 2 batches, so memory stays bounded), which puts scanning
 * and the consumer's work (the analysis, the dataset writer) on two cores. Smaller files, or
 * where no worker can start, are scanned in this thread. The same batches, rules and errors
 * either way (see `CsvScanner`).
 * @throws MyelinError MYELIN_ERR_DATA_EMPTY (empty file, or header without rows),
 *   MYELIN_ERR_DATA_FORMAT (ragged row, duplicate column name, bad quoting) naming file and line.
 */
export async function* readCsvBatches(
  src: ResolvedSource,
  progress: ProgressTracker,
  opts: { worker?: boolean } = {},
): AsyncGenerator<ColumnBatch> {
  const delimiter = delimiterByte(src);
  const useWorker = opts.worker ?? progress.totalBytes >= CSV_WORKER_MIN_BYTES;
  const job: CsvScanJob = { path: src.path, display: src.display, delimiter, chunkBytes: CSV_CHUNK_BYTES, window: WINDOW };
  const worker = useWorker ? startModuleWorker(new URL(`./csv/csv-scan-worker${moduleExtension()}`, import.meta.url), job) : undefined;
  const link = worker ? new ScanWorkerLink(worker) : undefined;
  try {
    const from = yield* scanHere(src, progress, link);
    if (from && link) yield* scanInWorker(src, progress, link);
  } finally {
    link?.stop();
  }
}

/** `.ts` when running the sources, `.js` when compiled. */
function moduleExtension(): string {
  return import.meta.url.endsWith('.ts') ? '.ts' : '.js';
}

/**
 * Scans the file in this thread, to its end, or (given a worker) until the worker is ready: then
 * starts it after the last batch yielded and returns where it starts.
 */
async function* scanHere(
  src: ResolvedSource,
  progress: ProgressTracker,
  link: ScanWorkerLink | undefined,
): AsyncGenerator<ColumnBatch, CsvResumePoint | undefined> {
  const scanner = new CsvScanner(src.display, delimiterByte(src));
  const input = createReadStream(src.path, { highWaterMark: CSV_CHUNK_BYTES });
  const out: ColumnBatch[] = [];
  let first = true;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      progress.bytes += chunk.length;
      if (first && chunk.length > WARM_BYTES) {
        // the first 64 KiB alone first: V8 then sees every path of a chunk (its end cutting a
        // record, the next chunk taking it up) while the scanner still runs unoptimised, and
        // compiles it once instead of bailing out and recompiling at each path met later
        scanner.push(chunk.subarray(0, WARM_BYTES), out);
        scanner.push(chunk.subarray(WARM_BYTES), out);
      } else scanner.push(chunk, out);
      first = false;
      const from = link?.ready ? scanner.resumePoint() : undefined;
      if (from) (link as ScanWorkerLink).start(from);
      for (const batch of out) {
        progress.addRows(batch.length);
        yield batch;
      }
      out.length = 0;
      if (from) return from;
      progress.checkAborted();
    }
    scanner.end(out);
    for (const batch of out) {
      progress.addRows(batch.length);
      yield batch;
    }
  } finally {
    input.destroy();
  }
  checkNotEmpty(src, scanner.names, scanner.rows);
  return undefined;
}

/** The batches of a started worker, to the end of the file. */
async function* scanInWorker(src: ResolvedSource, progress: ProgressTracker, link: ScanWorkerLink): AsyncGenerator<ColumnBatch> {
  for (;;) {
    const m = await link.next();
    if (!m) throw new MyelinError('MYELIN_ERR_DATA_READ', `the CSV scan of ${src.display} stopped without finishing`, { file: src.display });
    if (m.type === 'error') {
      if (m.code) throw new MyelinError(m.code, m.detail, m.location);
      throw new MyelinError('MYELIN_ERR_DATA_READ', `cannot read ${src.display}: ${m.detail}`, { file: src.display });
    }
    if (m.type === 'ready') continue;
    progress.bytes = Math.max(progress.bytes, m.bytes);
    if (m.type === 'end') {
      checkNotEmpty(src, m.names, m.rows);
      return;
    }
    for (const batch of m.batches) {
      progress.addRows(batch.length);
      yield batch;
      link.credit(1);
    }
    progress.checkAborted();
  }
}

/** The delimiter of a CSV source as one byte. */
export function delimiterByte(src: ResolvedSource): number {
  const d = src.delimiter ?? ',';
  if (d.length !== 1 || d.charCodeAt(0) > 127)
    throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `the CSV delimiter must be one ASCII character, got ${JSON.stringify(d)}`, {
      file: src.display,
    });
  return d.charCodeAt(0);
}

/** Throws MYELIN_ERR_DATA_EMPTY for a file without a header or without data rows. */
export function checkNotEmpty(src: ResolvedSource, names: readonly string[] | undefined, rows: number): void {
  if (!names) throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} is empty`, { file: src.display });
  if (rows === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} has a header but no data rows`, {
      file: src.display,
    });
}
