/**
 * `npm run bench:serve [-- --home <MYELIN_HOME>] [--models penguins] [--rows 1,32] [--concurrency 16,64]
 *   [--predictions 200000] [--segment 2] [--duration 5] [--no-python] [--profile <dir>] [--engine tfjs|torch]`:
 * throughput and latency of `myelin serve` on a real registered model, side by side with a plain
 * Python `http.server` + PyTorch serving the same network, in the same run.
 *
 * With no `--home`, trains and registers the examples first in a temp folder. Each server runs in
 * its own process (one core for the server, one for autocannon on a 2-core machine). Per model,
 * body size (`--rows` instances per request, raw records encoded by the server) and concurrency:
 *   myelin — `startServer` with its defaults (dynamic batching, drift, feedback log of 100,000):
 *            a fresh server per cell, driven in consecutive `--segment`-second segments until it
 *            has answered `--predictions` predictions (default 200,000: twice the feedback log, so
 *            a slowdown with use shows up), then first- vs last-segment throughput;
 *   python — `tools/bench/src/python-serve.py`: a plain http.server (ThreadingHTTPServer with the
 *            standard library's defaults: HTTP/1.0, a connection per request; listen backlog
 *            128 instead of 5), torch with one
 *            thread, the same fitted preprocessing and weights, `--duration` seconds (when
 *            `/usr/bin/python3 -c 'import torch'` works and the model is dense layers only);
 *   python-keepalive — the same, tuned: HTTP/1.1 keep-alive, one write per answer, TCP_NODELAY;
 *   raw    — in-process, the served version's predictor on pre-encoded rows: the ceiling with no
 *            HTTP at all.
 * `--engine torch` serves with the torch addon where it matches the tfjs model (the server's
 * `engine` option; default tfjs). `--profile <dir>` writes a V8 CPU profile of each myelin server process there (`node --cpu-prof`).
 * Server CPU per row comes from /proc/<pid>/stat; latency percentiles from every response.
 * Goals printed with the ratios: myelin ≥ 3x python rows/s on 32-row bodies and ≥ 1x on 1-row
 * bodies at c=16, p99 < 20 ms at c=16, last segment ≥ 0.9x the first; the ratio to the tuned
 * keep-alive server is printed beside them. Read the plain server's figures with care: it closes
 * the connection after each answer and autocannon writes its next request on the closing
 * connection before reconnecting, so its latencies (p50 ~1 s) carry that client cost; the
 * keep-alive server is the like-for-like comparison, and server CPU per row the contention-free one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..', '..');
const PYTHON = '/usr/bin/python3';
const ALIAS = 'staging';
const CLK_TCK = 100;

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const list = (name: string, fallback: string): number[] => (option(name) ?? fallback).split(',').map(Number);

interface ChildArgs {
  mode: 'myelin' | 'raw' | 'export';
  home: string;
  model: string;
  instance: Record<string, unknown>;
  batchSizes?: number[];
  out?: string;
  /** What the server predicts with (`--engine`; default: the server's own choice). */
  engine?: 'tfjs' | 'torch';
}

interface Cell {
  model: string;
  variant: 'myelin' | 'python' | 'python-keepalive' | 'raw';
  rows: number;
  concurrency: number;
  /** Rows (instances) answered per second over the whole cell. */
  rowsPerS: number;
  /** Per segment, rows per second (myelin). */
  segments: number[];
  /** Per segment, server CPU µs per row (robust to other load on the machine). */
  segmentCpu: number[];
  predictions: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU time per row, microseconds. */
  cpuUsPerRow: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

async function child(args: ChildArgs): Promise<void> {
  const { openEmbeddedStack } = await import('@myelin/pipeline');
  const serving = await import('@myelin/serving');
  const stack = await openEmbeddedStack(args.home);
  if (args.mode === 'myelin') {
    const server = await serving.startServer({
      store: stack.store,
      meta: stack.meta,
      models: [{ name: args.model, alias: ALIAS }],
      port: 0,
      maxInstances: 1024,
      ...(args.engine ? { engine: args.engine } : {}),
      log: (line) => process.stderr.write(`server: ${line}\n`),
    });
    // exit on the parent's kill, so a `--profile` run writes its CPU profile
    process.on('SIGTERM', () => process.exit(0));
    process.stdout.write(`READY ${server.url}/v1/models/${args.model}:predict\n`);
    return;
  }
  const { transformBatch } = await import('@myelin/data');
  const { selectBackend } = await import('@myelin/training');
  await selectBackend();
  const v = await stack.meta.resolveAlias(args.model, ALIAS);
  const rec = await stack.meta.getVersion(args.model, v as number);
  const loaded = await serving.loadModelVersion(stack.store, rec!);
  if (args.mode === 'export') {
    // the network as dense layers for the PyTorch baseline; anything else has no baseline
    const layers: { kernel: number[][]; bias: number[]; activation: string }[] = [];
    let ok = true;
    for (const layer of loaded.tfModel.layers) {
      const cls = layer.getClassName();
      if (cls === 'Dropout' || cls === 'InputLayer') continue;
      if (cls !== 'Dense') {
        ok = false;
        break;
      }
      const [kernel, bias] = layer.getWeights();
      layers.push({
        kernel: (await kernel!.array()) as number[][],
        bias: (await bias!.array()) as number[],
        activation: String((layer.getConfig() as { activation?: string }).activation ?? 'linear'),
      });
    }
    if (ok)
      writeFileSync(
        args.out!,
        JSON.stringify({ preprocessor: loaded.preprocessor, layers, classes: loaded.classes }),
      );
    process.stdout.write(`DONE ${ok ? 'dense' : 'unsupported'}\n`);
    process.exit(0);
  }
  const fp = loaded.preprocessor;
  for (const b of args.batchSizes ?? [1, 32]) {
    const { data } = transformBatch(fp, new Array(b).fill(args.instance));
    for (let i = 0; i < 20; i++) await loaded.predictor.predict(data, b, b);
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < 1000) {
      const t0 = performance.now();
      await loaded.predictor.predict(data, b, b);
      times.push(performance.now() - t0);
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    times.sort((x, y) => x - y);
    process.stdout.write(
      `RESULT ${JSON.stringify({ rows: b, rowsPerS: (times.length * b) / seconds, cpuUsPerRow: (cpu.user + cpu.system) / (times.length * b), p50: quantile(times, 0.5), p99: quantile(times, 0.99) })}\n`,
    );
  }
  process.stdout.write('DONE\n');
  process.exit(0);
}

/** A process's CPU time (user + system) in microseconds, from /proc; NaN where there is no /proc. */
function cpuOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1e6;
  } catch {
    return NaN;
  }
}

function startNode(args: ChildArgs): { proc: ChildProcess; lines: AsyncIterableIterator<string> } {
  const profile = option('--profile');
  const prof = args.mode === 'myelin' && profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const proc = spawn(
    process.execPath,
    [...prof, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(args)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return { proc, lines: createInterface({ input: proc.stdout! })[Symbol.asyncIterator]() };
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
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: Record<string, unknown>,
) => AutocannonInstance;

/** One autocannon run: 2xx response times (ms) and the error count. */
async function load(
  url: string,
  body: string,
  connections: number,
  seconds: number,
): Promise<{ times: number[]; errors: number }> {
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
  const r = await run;
  return { times, errors: r.non2xx + r.errors + r.timeouts };
}

/** Drives `url` in segments until `predictions` rows were answered (at least `minSegments`). */
async function cell(
  pid: number | undefined,
  url: string,
  body: string,
  rows: number,
  c: number,
  opts: { predictions: number; segment: number; minSegments: number },
): Promise<Omit<Cell, 'model' | 'variant'>> {
  const all: number[] = [];
  const segments: number[] = [];
  const segmentCpu: number[] = [];
  let errors = 0;
  const cpu0 = cpuOf(pid);
  const t0 = performance.now();
  while (all.length * rows < opts.predictions || segments.length < opts.minSegments) {
    const s0 = performance.now();
    const c0 = cpuOf(pid);
    const r = await load(url, body, c, opts.segment);
    segments.push((r.times.length * rows) / ((performance.now() - s0) / 1000));
    segmentCpu.push((cpuOf(pid) - c0) / Math.max(1, r.times.length * rows));
    errors += r.errors;
    for (const t of r.times) all.push(t);
    if (segments.length > 1000) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuOf(pid) - cpu0;
  all.sort((a, b) => a - b);
  const n = all.length * rows;
  return {
    rows,
    concurrency: c,
    rowsPerS: n / seconds,
    segments,
    segmentCpu,
    predictions: n,
    p50: quantile(all, 0.5),
    p99: quantile(all, 0.99),
    errors,
    cpuUsPerRow: cpu / Math.max(1, n),
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

/** `n` raw instances of a model, varied a little (Myelin and the baseline get the same bodies). */
function instancesFor(model: string, n: number): Record<string, unknown>[] {
  if (model === 'penguins') {
    const islands = ['Biscoe', 'Dream', 'Torgersen'];
    return Array.from({ length: n }, (_, i) => ({
      Island: islands[i % 3],
      'Beak Length (mm)': 39 + (i % 9) * 1.3,
      'Beak Depth (mm)': 14 + (i % 5) * 0.9,
      'Flipper Length (mm)': 185 + (i % 7) * 5,
      'Body Mass (g)': 3500 + (i % 11) * 150,
      Sex: i % 2 ? 'MALE' : 'FEMALE',
    }));
  }
  const [header, ...lines] = readFileSync(join(root, 'examples', model, `${model}.csv`), 'utf8')
    .trim()
    .split('\n');
  const names = (header as string).split(',');
  return Array.from({ length: n }, (_, i) => {
    const values = (lines[i % lines.length] as string).split(',');
    return Object.fromEntries(names.slice(0, -1).map((name, k) => [name, Number(values[k])]));
  });
}

function pythonWorks(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0;
}

async function main(): Promise<void> {
  const models = (option('--models') ?? 'penguins').split(',');
  const given = option('--home');
  const home = given ?? mkdtempSync(join(tmpdir(), 'myelin-bench-serve-'));
  try {
    await measure(home, models);
  } finally {
    if (!given) rmSync(home, { recursive: true, force: true });
  }
}

async function measure(home: string, models: string[]): Promise<void> {
  const rowsList = list('--rows', '1,32');
  const concurrency = list('--concurrency', '16');
  const opts = {
    predictions: Number(option('--predictions') ?? 200_000),
    segment: Number(option('--segment') ?? 2),
    minSegments: 5,
  };
  const duration = Number(option('--duration') ?? 5);
  const withPython = !argv.includes('--no-python') && pythonWorks();
  if (!withPython)
    process.stderr.write(`no Python baseline (${PYTHON} -c 'import torch' failed, or --no-python)\n`);
  await register(home, models);
  const cells: Cell[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'myelin-bench-serve-py-'));
  try {
    for (const model of models) {
      const sample = instancesFor(model, 1)[0]!;
      {
        const { proc, lines } = startNode({
          mode: 'raw',
          home,
          model,
          instance: sample,
          batchSizes: rowsList,
        });
        for (const _ of rowsList) {
          const r = JSON.parse(await nextLine(lines, 'RESULT ')) as {
            rows: number;
            rowsPerS: number;
            cpuUsPerRow: number;
            p50: number;
            p99: number;
          };
          cells.push({
            model,
            variant: 'raw',
            concurrency: 0,
            segments: [],
            segmentCpu: [],
            predictions: 0,
            errors: 0,
            ...r,
          });
        }
        await nextLine(lines, 'DONE');
        proc.kill();
      }
      for (const rows of rowsList) {
        const body = JSON.stringify({ instances: instancesFor(model, rows) });
        for (const c of concurrency) {
          const engine = option('--engine');
          const { proc, lines } = startNode({
            mode: 'myelin',
            home,
            model,
            instance: sample,
            ...(engine === 'tfjs' || engine === 'torch' ? { engine } : {}),
          });
          try {
            const url = await nextLine(lines, 'READY ');
            await load(url, body, c, 3); // warm-up (JIT, backend kernels)
            const r = await cell(proc.pid, url, body, rows, c, opts);
            cells.push({ model, variant: 'myelin', ...r });
            process.stderr.write(
              `${model} myelin ${rows} rows/request c=${c}: ${r.rowsPerS.toFixed(0)} rows/s over ${r.predictions} predictions, segments ${r.segments.map((x) => x.toFixed(0)).join(' ')} rows/s, CPU ${r.segmentCpu.map((x) => x.toFixed(1)).join(' ')} µs/row, p99 ${r.p99.toFixed(1)} ms\n`,
            );
          } finally {
            proc.kill();
          }
        }
      }
      if (!withPython) continue;
      const spec = join(scratch, `${model}.json`);
      const exp = startNode({ mode: 'export', home, model, instance: sample, out: spec });
      const kind = await nextLine(exp.lines, 'DONE ');
      if (kind !== 'dense') {
        process.stderr.write(`${model}: no Python baseline (not a dense network)\n`);
        continue;
      }
      for (const variant of ['python', 'python-keepalive'] as const) {
        const py = spawn(
          PYTHON,
          [join(here, 'python-serve.py'), spec, ...(variant === 'python' ? [] : ['--keep-alive'])],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        try {
          const port = await nextLine(
            createInterface({ input: py.stdout })[Symbol.asyncIterator](),
            'READY ',
          );
          const url = `http://127.0.0.1:${port}/predict`;
          for (const rows of rowsList) {
            const body = JSON.stringify({ instances: instancesFor(model, rows) });
            for (const c of concurrency) {
              await load(url, body, c, 1);
              const r = await cell(py.pid, url, body, rows, c, {
                predictions: 0,
                segment: duration,
                minSegments: 1,
              });
              cells.push({ model, variant, ...r });
              process.stderr.write(
                `${model} ${variant} ${rows} rows/request c=${c}: ${r.rowsPerS.toFixed(0)} rows/s, p99 ${r.p99.toFixed(1)} ms\n`,
              );
            }
          }
        } finally {
          py.kill();
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  printTable(cells, models, rowsList, concurrency);
}

function printTable(cells: Cell[], models: string[], rowsList: number[], concurrency: number[]): void {
  const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const out: string[] = [
    '| model | server | rows/request | concurrency | rows/s | first → last segment rows/s (last/first) | first → last segment CPU µs/row | predictions | p50 ms | p99 ms | errors | server CPU µs/row |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of cells) {
    const seg =
      r.segments.length > 1
        ? `${fmt(r.segments[0]!, 0)} → ${fmt(r.segments.at(-1)!, 0)} (${fmt(r.segments.at(-1)! / r.segments[0]!, 2)}x)`
        : '';
    const segCpu =
      r.segmentCpu.length > 1 ? `${fmt(r.segmentCpu[0]!, 1)} → ${fmt(r.segmentCpu.at(-1)!, 1)}` : '';
    out.push(
      `| ${r.model} | ${r.variant === 'raw' ? 'raw predictor (ceiling)' : r.variant} | ${r.rows} | ${r.variant === 'raw' ? '-' : r.concurrency} | ${fmt(r.rowsPerS, 0)} | ${seg} | ${segCpu} | ${r.predictions || '-'} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} | ${fmt(r.cpuUsPerRow, 1)} |`,
    );
  }
  out.push('');
  for (const model of models) {
    for (const rows of rowsList) {
      for (const c of concurrency) {
        const get = (v: Cell['variant']) =>
          cells.find(
            (x) =>
              x.model === model && x.variant === v && x.rows === rows && (v === 'raw' || x.concurrency === c),
          );
        const m = get('myelin');
        const p = get('python');
        const pk = get('python-keepalive');
        const raw = get('raw');
        if (!m) continue;
        const goal = rows >= 32 ? 3 : 1;
        out.push(
          `${model}, ${rows} rows/request, c=${c}: myelin/python rows/s = ${p ? `${fmt(m.rowsPerS / p.rowsPerS, 2)}x (goal ≥ ${goal}x)` : 'no baseline'}; ` +
            `per server CPU-second ${p ? `${fmt(p.cpuUsPerRow / m.cpuUsPerRow, 2)}x` : '-'}; ` +
            `myelin/python-keepalive rows/s ${pk ? `${fmt(m.rowsPerS / pk.rowsPerS, 2)}x, per CPU-second ${fmt(pk.cpuUsPerRow / m.cpuUsPerRow, 2)}x` : '-'}; myelin p99 ${fmt(m.p99, 2)} ms${c === 16 ? ' (goal < 20 ms)' : ''}; ` +
            `last/first segment ${fmt(m.segments.at(-1)! / m.segments[0]!, 2)}x (goal ≥ 0.9x; by CPU per row ${fmt(m.segmentCpu[0]! / m.segmentCpu.at(-1)!, 2)}x) over ${m.predictions} predictions; myelin/raw ceiling ${raw ? fmt(m.rowsPerS / raw.rowsPerS, 3) : '-'}`,
        );
      }
    }
  }
  process.stdout.write(`\n${out.join('\n')}\n`);
}

if (argv[0] === '--child') await child(JSON.parse(argv[1] as string) as ChildArgs);
else await main();
