/**
 * `npm run bench:serve [-- --home <MYELIN_HOME>] [--duration 3] [--models penguins,shapes]`:
 * inference throughput and latency of `myelin serve` against a real registered model.
 *
 * With no `--home`, trains and registers the two examples first (penguins MLP, shapes CNN) in a
 * temp folder. Then, per model, each server runs in its own child process (one core for the
 * server, one for the load generator on a 2-core machine) and autocannon drives it for
 * `--duration` seconds (default 3) at concurrency 1, 16, 64 and 256, one instance per request
 * (a raw record, encoded by the server), after a 1 s warm-up:
 *   (a) myelin     — `startServer` with dynamic batching (defaults: maxBatchSize 64, batchTimeoutMs 0);
 *   (b) no-batch   — the same server with batching off;
 *   (c) handwritten — a minimal Fastify route calling `transformBatch` + `model.predict` per request;
 *   (d) raw        — in-process `predictBatches` on pre-encoded rows at batch size = concurrency:
 *                    the ceiling, rows/s with no HTTP at all.
 * Latency percentiles come from every response time autocannon reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';

type Variant = 'myelin' | 'no-batch' | 'handwritten';
interface ChildArgs {
  mode: Variant | 'raw';
  home: string;
  model: string;
  instance: Record<string, unknown>;
  batchSizes?: number[];
}
interface Row {
  model: string;
  variant: Variant | 'raw';
  concurrency: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Server CPU time per request (raw: per row), microseconds. */
  cpuUs?: number;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..', '..');
const CONCURRENCY = [1, 16, 64, 256];
const ALIAS = 'staging';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

async function child(args: ChildArgs): Promise<void> {
  const { openEmbeddedStack } = await import('@myelin/pipeline');
  const serving = await import('@myelin/serving');
  const stack = await openEmbeddedStack(args.home);
  // the parent asks for this process's CPU time, to compute CPU per request (robust on a shared machine)
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.(process.cpuUsage());
  });
  if (args.mode === 'myelin' || args.mode === 'no-batch') {
    const server = await serving.startServer({
      store: stack.store,
      meta: stack.meta,
      models: [
        {
          name: args.model,
          alias: ALIAS,
          batching: { enabled: args.mode === 'myelin' },
          drift: { enabled: true },
        },
      ],
      port: 0,
      maxInstances: 1024,
    });
    process.stdout.write(`READY ${server.url}/v1/models/${args.model}:predict\n`);
    return;
  }
  const tf = await import('@tensorflow/tfjs');
  const { transformBatch } = await import('@myelin/data');
  const { selectBackend, predictBatches } = await import('@myelin/training');
  await selectBackend();
  const v = await stack.meta.resolveAlias(args.model, ALIAS);
  const rec = await stack.meta.getVersion(args.model, v as number);
  const loaded = await serving.loadModelVersion(stack.store, rec!);
  const fp = loaded.preprocessor;
  const model = loaded.tfModel;
  if (args.mode === 'raw') {
    const d = fp.width;
    for (const b of args.batchSizes ?? CONCURRENCY) {
      const { data } = transformBatch(fp, new Array(b).fill(args.instance));
      for (let i = 0; i < 20; i++) predictBatches(model, data, b, d, b);
      const times: number[] = [];
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      while (performance.now() - start < 1000) {
        const t0 = performance.now();
        predictBatches(model, data, b, d, b);
        times.push(performance.now() - t0);
      }
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpu0);
      times.sort((x, y) => x - y);
      process.stdout.write(
        `RESULT ${JSON.stringify({ concurrency: b, rps: (times.length * b) / seconds, cpuUs: (cpu.user + cpu.system) / (times.length * b), p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), errors: 0 })}\n`,
      );
    }
    process.stdout.write('DONE\n');
    process.exit(0);
  }
  // (c) what a user writes by hand: one Fastify route, one model.predict per request
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.post('/predict', async (req) => {
    const { instances } = req.body as { instances: Record<string, unknown>[] };
    const { data, rows, cols } = transformBatch(fp, instances);
    const y = tf.tidy(() => (model.predict(tf.tensor2d(data, [rows, cols])) as TF.Tensor).dataSync());
    return { predictions: Array.from(y) };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`READY ${url}/predict\n`);
}

/** The child's CPU time (user + system), in microseconds. */
function cpuOf(proc: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    proc.once('message', (m) => {
      const u = m as NodeJS.CpuUsage;
      resolve(u.user + u.system);
    });
    proc.send('cpu');
  });
}

function startChild(args: ChildArgs): { proc: ChildProcess; lines: AsyncIterableIterator<string> } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(args)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines };
}

async function nextLine(lines: AsyncIterableIterator<string>, prefix: string): Promise<string> {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the child process ended before printing ${prefix}`);
    if (value.startsWith(prefix)) return value.slice(prefix.length).trim();
  }
}

interface AutocannonResult {
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function load(
  url: string,
  body: string,
  connections: number,
  seconds: number,
): Promise<Omit<Row, 'model' | 'variant'>> {
  const times: number[] = [];
  const run = autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  });
  run.on('response', (_c, status, _b, ms) => {
    if (status === 200) times.push(ms);
  });
  const result = await run;
  times.sort((a, b) => a - b);
  return {
    concurrency: connections,
    rps: times.length / seconds,
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    p99: quantile(times, 0.99),
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

async function register(home: string, models: string[]): Promise<void> {
  const { openEmbeddedStack, runPipeline } = await import('@myelin/pipeline');
  const { loadSpecFile } = await import('@myelin/spec');
  const stack = await openEmbeddedStack(home);
  try {
    for (const m of models) {
      if ((await stack.meta.resolveAlias(m, ALIAS)) !== null) continue;
      process.stderr.write(`training and registering ${m} in ${home} …\n`);
      const summary = await runPipeline(
        await loadSpecFile(join(root, 'examples', m, 'pipeline.yaml')),
        stack,
      );
      if (!summary.model) throw new Error(`${m}: ${summary.error?.message ?? summary.status}`);
    }
  } finally {
    await stack.close();
  }
}

function instanceFor(model: string): Record<string, unknown> {
  if (model === 'penguins') {
    return {
      Island: 'Biscoe',
      'Beak Length (mm)': 47.5,
      'Beak Depth (mm)': 15,
      'Flipper Length (mm)': 218,
      'Body Mass (g)': 4950,
      Sex: 'FEMALE',
    };
  }
  const [header, first] = readFileSync(join(root, 'examples', 'shapes', 'shapes.csv'), 'utf8').split('\n');
  const names = (header as string).split(',');
  const values = (first as string).split(',');
  return Object.fromEntries(names.slice(0, -1).map((n, i) => [n, Number(values[i])]));
}

async function main(): Promise<void> {
  const seconds = Number(option('--duration') ?? 3);
  const models = (option('--models') ?? 'penguins,shapes').split(',');
  const given = option('--home');
  const home = given ?? mkdtempSync(join(tmpdir(), 'myelin-bench-serve-'));
  try {
    await measure(home, models, seconds);
  } finally {
    if (!given) rmSync(home, { recursive: true, force: true });
  }
}

async function measure(home: string, models: string[], seconds: number): Promise<void> {
  await register(home, models);
  const rows: Row[] = [];
  for (const model of models) {
    const instance = instanceFor(model);
    const body = JSON.stringify({ instances: [instance] });
    {
      const { proc, lines } = startChild({ mode: 'raw', home, model, instance, batchSizes: CONCURRENCY });
      for (let i = 0; i < CONCURRENCY.length; i++) {
        rows.push({
          model,
          variant: 'raw',
          ...(JSON.parse(await nextLine(lines, 'RESULT ')) as Omit<Row, 'model' | 'variant'>),
        });
      }
      await nextLine(lines, 'DONE');
      proc.kill();
    }
    for (const variant of ['myelin', 'no-batch', 'handwritten'] as const) {
      const { proc, lines } = startChild({ mode: variant, home, model, instance });
      try {
        const url = await nextLine(lines, 'READY ');
        await load(url, body, 16, 1); // warm-up
        for (const c of CONCURRENCY) {
          const cpu0 = await cpuOf(proc);
          const r = await load(url, body, c, seconds);
          const cpuUs = ((await cpuOf(proc)) - cpu0) / Math.max(1, r.rps * seconds);
          rows.push({ model, variant, ...r, cpuUs });
          process.stderr.write(
            `${model} ${variant} c=${c}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms\n`,
          );
        }
      } finally {
        proc.kill();
      }
    }
  }
  printTable(rows, models);
}

function printTable(rows: Row[], models: string[]): void {
  const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const out: string[] = [];
  out.push(
    '| model | variant | concurrency / batch | req/s (raw: rows/s) | p50 ms | p95 ms | p99 ms | errors | server CPU µs/req | req/s per CPU-second |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const cpu = r.cpuUs ?? NaN;
    out.push(
      `| ${r.model} | ${r.variant} | ${r.concurrency} | ${fmt(r.rps, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} | ${fmt(r.p99, 2)} | ${r.errors} | ${fmt(cpu, 0)} | ${fmt(1e6 / cpu, 0)} |`,
    );
  }
  out.push('');
  for (const model of models) {
    const get = (v: Row['variant'], c: number) =>
      rows.find((r) => r.model === model && r.variant === v && r.concurrency === c);
    const a64 = get('myelin', 64)?.rps ?? NaN;
    const c64 = get('handwritten', 64)?.rps ?? NaN;
    const d64 = get('raw', 64)?.rps ?? NaN;
    const p99c16 = get('myelin', 16)?.p99 ?? NaN;
    const per = (v: Row['variant']) => 1e6 / (get(v, 64)?.cpuUs ?? NaN);
    out.push(
      `${model}: (a)/(c) at c=64 = ${fmt(a64 / c64, 2)}x (goal ≥ 3x); (a)/(d) at 64 = ${fmt(a64 / d64, 3)} (goal ≥ 0.7); (a) p99 at c=16 = ${fmt(p99c16, 2)} ms${model === 'penguins' ? ' (goal < 20 ms)' : ''}; ` +
        `per CPU-second at c=64 (contention-free view): (a)/(c) = ${fmt(per('myelin') / per('handwritten'), 2)}x, (a)/(d) = ${fmt(per('myelin') / per('raw'), 3)}`,
    );
  }
  process.stdout.write(`\n${out.join('\n')}\n`);
}

if (argv[0] === '--child') await child(JSON.parse(argv[1] as string) as ChildArgs);
else await main();
