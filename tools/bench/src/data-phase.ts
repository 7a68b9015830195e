/**
 * One benchmark phase, run in its own process so its peak RSS is its own; prints one JSON line.
 * - `run.js data-phase profile <file> <rows>`: what `myelin validate` does with a data file —
 *   `readColumnBatches` + `analyzeBatches` (schema, profile, anomalies) over the first `rows` rows;
 *   prints { rows, seconds, maxRssMb }.
 * - `run.js data-phase pipeline <pipeline.yaml> <home>`: a whole `myelin run` on an embedded
 *   stack in `home` (no cache); prints { rows, width (encoded features), steps: { name: { seconds, peakRssMb } }, maxRssMb, status }.
 */
import { dirname } from 'node:path';
import {
  analyzeBatches,
  preloadReader,
  readColumnBatches,
  resolveSource,
  type ColumnBatch,
} from './data-lib.js';

const [, , , phase, file, arg] = process.argv;
const mb = (bytes: number): number => bytes / (1 << 20);

async function* limited(batches: AsyncIterable<ColumnBatch>, limit: number): AsyncGenerator<ColumnBatch> {
  let n = 0;
  for await (const b of batches) {
    if (n >= limit) return;
    n += b.length;
    yield b;
  }
}

async function profile(): Promise<void> {
  const src = resolveSource(file as string, { baseDir: dirname(file as string) });
  // The reader's modules load before the timer, as pandas' do (its script imports pandas, CSV
  // reader included, before it starts its clock): readColumnBatches loads the Parquet reader
  // (hyparquet and Myelin's page decoder) on first use, and through the TypeScript loader that
  // alone took ~60-130 ms of the timed window. Only module loading: nothing is read or run.
  await preloadReader(src.format);
  const t0 = performance.now();
  const report = await analyzeBatches(limited(readColumnBatches(src), Number(arg)), { source: src.display });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({ rows: report.rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
  );
}

async function pipeline(): Promise<void> {
  // loaded here: the profile phase needs neither
  const { openEmbeddedStack, runPipeline } = await import('@myelin/pipeline');
  const { loadSpecFile } = await import('@myelin/spec');
  const loaded = await loadSpecFile(file as string);
  const stack = await openEmbeddedStack(arg as string);
  const steps: Record<string, { seconds: number; peakRssMb: number }> = {};
  let current: string | undefined;
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
  let rows = 0;
  let width = 0;
  const summary = await runPipeline(loaded, stack, {
    allowOutside: true,
    noCache: true,
    onEvent: (e) => {
      if (e.type === 'log' && e.step === 'ingest')
        rows = Number(/read (\d+) rows/.exec(e.message)?.[1] ?? rows);
      if (e.type === 'log' && e.step === 'preprocess')
        width = Number(/(\d+) encoded features/.exec(e.message)?.[1] ?? width);
      if (e.type !== 'step') return;
      if (e.status === 'running') {
        current = e.step;
        peak = process.memoryUsage.rss();
      } else if (e.step === current) {
        steps[e.step] = {
          seconds: (e.durationMs ?? 0) / 1000,
          peakRssMb: mb(Math.max(peak, process.memoryUsage.rss())),
        };
      }
    },
  });
  clearInterval(sample);
  await stack.close();
  console.log(
    JSON.stringify({
      status: summary.status,
      rows,
      width,
      steps,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      error: summary.error ?? null,
    }),
  );
}

if (phase === 'profile') await profile();
else if (phase === 'pipeline') await pipeline();
else throw new Error(`unknown phase ${phase}`);
