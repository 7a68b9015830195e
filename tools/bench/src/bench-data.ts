/**
 * `npm run bench:data [-- --rows N] [--wide-rows N] [--tall-rows N] [--only profile|pipeline] [--reps N]`:
 * Myelin's data path next to pandas (Debian's /usr/bin/python3 with python3-pandas), in the same
 * run, on generated tables (see data-gen.ts; nothing is downloaded):
 *
 * 1. Profiling — what `myelin validate` does (read, infer the schema, profile, check the rules)
 *    against pandas `read_csv` + `describe(include="all")` + `quantile` (7 levels) + `nunique`,
 *    on the flights CSV (N rows, default 3,000,000), the same rows as Parquet, the wide table
 *    (60,000 × 785) and the tall table (5,000,000 × 20). Goal: Myelin rows/s ≥ 1x pandas, peak
 *    RSS < 500 MB. pandas here has no Parquet engine (Debian packages neither pyarrow nor
 *    fastparquet), so the Parquet row is compared with pandas on the CSV of the same rows.
 * 2. Pipeline — a whole `myelin run` (1 epoch of a small network) on the wide and the tall table:
 *    the data steps (ingest + validate + preprocess) against pandas `read_csv` + `describe` on the
 *    same file (goal ≤ 1.5x its time), and the run's peak RSS against 2x the float32 matrix +
 *    400 MB.
 *
 * Each measurement runs in its own process (its peak RSS is its own); with `--reps N` each side
 * runs N times, alternating, and the fastest run counts (default 1). The machine's other load
 * moves the absolute figures; compare the ratios, which come from the same run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.js';
import { cacheDir, flightsCsv, tallCsv, wideCsv } from './data-gen.js';
import { resolveSource } from './data-lib.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const runJs = join(here, '..', 'bin', 'run.js');
const repoRoot = join(here, '..', '..', '..');
const args = benchArgs(process.argv.slice(2));
const option = (name: string, fallback: number): number => args.int(name) ?? fallback;
const only = args.string('--only');
const flightRows = option('--rows', 3_000_000);
const wideRows = option('--wide-rows', 60_000);
const tallRows = option('--tall-rows', 5_000_000);
const WIDE_COLS = 784;
const reps = option('--reps', 1);

interface Timed {
  rows: number;
  seconds: number;
  maxRssMb: number;
}

function child(args: string[]): string {
  return execFileSync(process.execPath, [runJs, 'data-phase', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').at(-1) as string) as T;

const PANDAS_PROFILE = [
  'import pandas, time, resource, json, sys',
  't = time.time()',
  'df = pandas.read_csv(sys.argv[1], nrows=int(sys.argv[2]))',
  'read = time.time() - t',
  'df.describe(include="all")',
  'if sys.argv[3] == "profile":',
  '    df.quantile([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99], numeric_only=True)',
  '    df.nunique()',
  'print(json.dumps({"rows": len(df), "seconds": time.time() - t, "read": read, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))',
].join('\n');

let python: string | undefined;
for (const py of ['/usr/bin/python3', 'python3']) {
  if (spawnSync(py, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0) {
    python = py;
    break;
  }
}

/** pandas on a CSV: `profile` (describe + quantiles + nunique) or `describe` (describe only). */
function pandas(csv: string, rows: number, what: 'profile' | 'describe'): Timed | undefined {
  if (!python) return undefined;
  const r = spawnSync(python, ['-c', PANDAS_PROFILE, csv, String(rows), what], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) {
    console.error(`pandas failed on ${csv}: ${r.stderr.slice(-400)}`);
    return undefined;
  }
  return lastJson<Timed>(r.stdout);
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const rate = (t: Timed): string => Math.round(t.rows / t.seconds).toLocaleString('en-US');
const mbText = (x: number): string => x.toFixed(0);
const fileMb = (path: string): string => `${(statSync(path).size / 1e6).toFixed(0)} MB`;

const parquet = resolveSource('npm:vega-datasets/data/flights-3m.parquet', { baseDir: repoRoot }).path;
const flights = await flightsCsv(parquet, flightRows);
const wide = await wideCsv(wideRows, WIDE_COLS);
const tall = await tallCsv(tallRows);
console.log(
  `bench:data — tables in ${cacheDir}; pandas ${python ? `via ${python}` : 'not available'}; best of ${reps}; ` +
    `${new Date().toISOString()}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
);

if (only !== 'pipeline') {
  const cases: [string, string, string, number][] = [
    ['flights CSV', flights, flights, flightRows],
    ['flights Parquet', parquet, flights, flightRows],
    [`wide CSV ${wideRows}×${WIDE_COLS + 1}`, wide, wide, wideRows],
    [`tall CSV ${tallRows}×20`, tall, tall, tallRows],
  ];
  const body: string[][] = [];
  for (const [name, file, csv, rows] of cases) {
    process.stderr.write(`profiling ${name} …\n`);
    let m: Timed | undefined;
    let p: Timed | undefined;
    for (let r = 0; r < reps; r++) {
      const mr = lastJson<Timed>(child(['profile', file, String(rows)]));
      if (!m || mr.seconds < m.seconds) m = mr;
      const pr = pandas(csv, rows, 'profile');
      if (pr && (!p || pr.seconds < p.seconds)) p = pr;
    }
    if (!m) throw new Error('no measurement');
    body.push([
      name,
      String(m.rows),
      m.seconds.toFixed(2),
      rate(m),
      mbText(m.maxRssMb),
      p ? p.seconds.toFixed(2) : '-',
      p ? rate(p) : '-',
      p ? mbText(p.maxRssMb) : '-',
      p ? `${(m.rows / m.seconds / (p.rows / p.seconds)).toFixed(2)}x` : '-',
    ]);
  }
  console.log(
    '\nProfiling: Myelin (myelin validate: read + schema + profile + rules) vs pandas (read_csv + describe + quantile + nunique)',
  );
  console.log(
    table(
      [
        'table',
        'rows',
        'Myelin s',
        'rows/s',
        'RSS MB',
        'pandas s',
        'rows/s',
        'RSS MB',
        'Myelin ÷ pandas rows/s',
      ],
      body,
    ),
  );
  console.log(
    'goal: ≥ 1.00x pandas rows/s, Myelin peak RSS < 500 MB (the Parquet row: pandas reads the CSV of the same rows)',
  );
}

/** A pipeline over a generated table: 1 epoch of a small network; no gate. */
function pipelineFile(dir: string, csv: string, tag: string): string {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(
    path,
    [
      'apiVersion: myelin/v1',
      `name: bench-${tag}`,
      'data:',
      `  source: ${csv}`,
      '  target: label',
      '  split: { train: 0.8, validation: 0.1, test: 0.1, seed: 42, stratify: true }',
      'validate: { onFailure: warn }',
      'model:',
      '  layers:',
      '    - dense: { units: 16, activation: relu }',
      'train: { epochs: 1, batchSize: 512, checkpointEvery: 100 }',
      'evaluate: { metrics: [accuracy] }',
      '',
    ].join('\n'),
  );
  return path;
}

interface PipelineResult {
  status: string;
  rows: number;
  width: number;
  steps: Record<string, { seconds: number; peakRssMb: number }>;
  maxRssMb: number;
  error: { message: string } | null;
}

if (only !== 'profile') {
  const body: string[][] = [];
  const stepsBody: string[][] = [];
  for (const [name, csv, tag] of [
    [`wide ${wideRows}×${WIDE_COLS + 1} (${fileMb(wide)})`, wide, 'wide'],
    [`tall ${tallRows}×20 (${fileMb(tall)})`, tall, 'tall'],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-bench-run-'));
    process.stderr.write(`myelin run on ${name} …\n`);
    try {
      const dataSeconds = (x: PipelineResult): number =>
        (x.steps.ingest?.seconds ?? NaN) +
        (x.steps.validate?.seconds ?? NaN) +
        (x.steps.preprocess?.seconds ?? NaN);
      let r: PipelineResult | undefined;
      let p: Timed | undefined;
      for (let k = 0; k < reps; k++) {
        rmSync(join(dir, 'home'), { recursive: true, force: true });
        const rr = lastJson<PipelineResult>(
          child(['pipeline', pipelineFile(dir, csv, tag), join(dir, 'home')]),
        );
        if (!r || dataSeconds(rr) < dataSeconds(r)) r = rr;
        const pr = pandas(csv, rr.rows, 'describe');
        if (pr && (!p || pr.seconds < p.seconds)) p = pr;
      }
      if (!r) throw new Error('no run');
      if (r.status !== 'succeeded') console.error(`${name}: the run ${r.status}: ${r.error?.message ?? ''}`);
      const run = r;
      const s = (step: string): number => run.steps[step]?.seconds ?? NaN;
      const data = dataSeconds(run);
      const matrixMb = (run.rows * run.width * 4) / (1 << 20);
      const bound = 2 * matrixMb + 400;
      body.push([
        name,
        run.status,
        data.toFixed(2),
        p ? p.seconds.toFixed(2) : '-',
        p ? `${(data / p.seconds).toFixed(2)}x` : '-',
        mbText(run.maxRssMb),
        mbText(bound),
        run.maxRssMb <= bound ? 'yes' : 'NO',
        p ? mbText(p.maxRssMb) : '-',
      ]);
      for (const step of Object.keys(run.steps))
        stepsBody.push([name, step, s(step).toFixed(2), mbText(run.steps[step]?.peakRssMb ?? NaN)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    '\nPipeline: myelin run (embedded stack, no cache): data steps vs pandas read_csv + describe on the same file',
  );
  console.log(
    table(
      [
        'table',
        'run',
        'ingest+validate+preprocess s',
        'pandas s',
        'Myelin ÷ pandas time',
        'run peak RSS MB',
        'bound MB',
        'within',
        'pandas RSS MB',
      ],
      body,
    ),
  );
  console.log(
    'goals: data steps ≤ 1.5x pandas time; run peak RSS ≤ 2 × float32 matrix (rows × encoded features × 4 B) + 400 MB',
  );
  console.log(`\nPer step\n${table(['table', 'step', 'seconds', 'peak RSS MB'], stepsBody)}`);
}
console.log(
  `\nload average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
