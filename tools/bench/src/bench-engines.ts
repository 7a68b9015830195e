/**
 * `npm run bench:train [-- --quick] [--epochs N] [--reps N] [--threads N] [--cases mlp,cnn,step]`:
 * the training engines side by side on the same work — Myelin's torch engine, Python PyTorch
 * (Debian's /usr/bin/python3 with torch, when it imports) and Myelin's tfjs engine on wasm —
 * with the same architecture, data size, batch, optimizer (Adam 1e-3), threads and epochs:
 *   (a) MLP 784-256-128-10, 60,000 synthetic rows, batch 128;
 *   (b) the digits CNN conv16-pool-conv32-dense10 on 8x8x1 rows, batch 32;
 *   (c) the whole train step (what `myelin run` runs around the engine) vs the engine alone, on (a).
 * Every measurement runs in its own process (1 warm-up epoch + N timed epochs; samples/s of the
 * timed ones; peak RSS of the process); the methods alternate round by round so load from other
 * processes hits each alike; the table shows medians and ratios against PyTorch in the same run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.js';
import type { EnginePhaseArgs, EnginePhaseResult } from './engine-phase.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const runJs = join(here, '..', 'bin', 'run.js');
const baselinePy = join(here, '..', 'python', 'train_baseline.py');
const args = benchArgs(process.argv.slice(2));
const quick = args.flag('--quick');
const epochs = args.int('--epochs') ?? (quick ? 1 : 2);
const reps = args.int('--reps') ?? (quick ? 1 : 3);
const threads = args.int('--threads') ?? availableParallelism();
const cases = args.list('--cases') ?? ['mlp', 'cnn', 'step'];
const python = '/usr/bin/python3';
const hasTorchPython = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

type Side = 'myelin-torch' | 'pytorch' | 'myelin-wasm' | 'train-step';
interface Row {
  label: string;
  runs: Partial<Record<Side, EnginePhaseResult[]>>;
}

function myelin(a: EnginePhaseArgs): EnginePhaseResult {
  const out = execFileSync(process.execPath, [runJs, 'engine-phase', JSON.stringify(a)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as EnginePhaseResult;
}

function pytorch(a: EnginePhaseArgs): EnginePhaseResult {
  // with the thread setup the torch engine uses (one intra-op pool; OpenBLAS's own pool at one
  // thread) and denormals flushed to zero as the engine does (train_baseline.py), which is also
  // PyTorch's faster setup on this machine: the baseline is not handicapped
  const out = execFileSync(python, [baselinePy, JSON.stringify(a)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as EnginePhaseResult;
}

const median = (v: number[]): number => {
  const s = [...v].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

console.log(
  `bench:train — ${threads} thread(s), 1 warm-up + ${epochs} timed epoch(s), median of ${reps}; ` +
    `PyTorch baseline: ${hasTorchPython ? python : 'not available (apt-get install python3-torch)'}`,
);
const rows: Row[] = [];
const mlp = { model: 'mlp', rows: quick ? 12_000 : 60_000, batchSize: 128, epochs, threads } as const;
const cnn = { model: 'cnn', rows: quick ? 3_000 : 12_000, batchSize: 32, epochs, threads } as const;
for (const [name, base] of [
  ['mlp', mlp],
  ['cnn', cnn],
] as const) {
  if (!cases.includes(name)) continue;
  const row: Row = {
    label:
      name === 'mlp'
        ? `(a) MLP 784-256-128-10, ${base.rows} rows, batch 128`
        : `(b) CNN conv16-pool-conv32-dense10, ${base.rows} rows, batch 32`,
    runs: {},
  };
  for (let r = 0; r < reps; r++) {
    (row.runs['myelin-torch'] ??= []).push(myelin({ ...base, engine: 'torch', method: 'engine' }));
    if (hasTorchPython)
      (row.runs.pytorch ??= []).push(pytorch({ ...base, engine: 'torch', method: 'engine' }));
    // wasm is 10-20x slower: one timed epoch on a fifth of the rows keeps the run short
    (row.runs['myelin-wasm'] ??= []).push(
      myelin({ ...base, rows: Math.round(base.rows / 5), epochs: 1, engine: 'wasm', method: 'engine' }),
    );
    process.stderr.write(`  ${name} round ${r + 1}/${reps} done\n`);
  }
  rows.push(row);
}
if (cases.includes('step')) {
  const row: Row = { label: `(c) train step vs engine, MLP ${mlp.rows} rows`, runs: {} };
  for (let r = 0; r < reps; r++) {
    (row.runs['myelin-torch'] ??= []).push(myelin({ ...mlp, engine: 'torch', method: 'engine' }));
    (row.runs['train-step'] ??= []).push(myelin({ ...mlp, engine: 'torch', method: 'step' }));
    process.stderr.write(`  step round ${r + 1}/${reps} done\n`);
  }
  rows.push(row);
}

const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');
const speed = (row: Row, side: Side): number | undefined => {
  const runs = row.runs[side];
  return runs ? median(runs.map((x) => x.samplesPerSec)) : undefined;
};
const rss = (row: Row, side: Side): string => {
  const runs = row.runs[side];
  return runs ? `${Math.round(Math.max(...runs.map((x) => x.maxRssMb)))} MB` : '–';
};
const table: string[][] = [
  [
    'case',
    'Myelin torch',
    'PyTorch',
    'torch ÷ PyTorch',
    'Myelin wasm',
    'torch ÷ wasm',
    'peak RSS torch / PyTorch / wasm',
  ],
];
const verdicts: string[] = [];
for (const row of rows.filter((r) => !r.runs['train-step'])) {
  const t = speed(row, 'myelin-torch')!;
  const p = speed(row, 'pytorch');
  const w = speed(row, 'myelin-wasm')!;
  table.push([
    row.label,
    fmt(t),
    p ? fmt(p) : '–',
    p ? (t / p).toFixed(2) : '–',
    fmt(w),
    (t / w).toFixed(1),
    `${rss(row, 'myelin-torch')} / ${rss(row, 'pytorch')} / ${rss(row, 'myelin-wasm')}`,
  ]);
  const goal = row.label.startsWith('(a)') ? 0.9 : 1;
  if (p)
    verdicts.push(
      `${row.label.slice(0, 3)} torch ÷ PyTorch ${(t / p).toFixed(2)} (goal ≥ ${goal}) ${t / p >= goal ? 'met' : 'MISSED'}`,
    );
  if (row.label.startsWith('(a)'))
    verdicts.push(`(a) torch ÷ wasm ${(t / w).toFixed(1)} (goal ≥ 10) ${t / w >= 10 ? 'met' : 'MISSED'}`);
}
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(table.map(line).join('\n'));
for (const row of rows.filter((r) => r.runs['train-step'])) {
  const engineRuns = row.runs['myelin-torch']!;
  const stepRuns = row.runs['train-step']!;
  const engineS = median(engineRuns.map((x) => x.seconds));
  const stepS = median(stepRuns.map((x) => x.seconds));
  const overhead = stepS / engineS - 1;
  console.log(
    `${row.label}: engine ${engineS.toFixed(2)} s (${fmt(speed(row, 'myelin-torch')!)} samples/s), train step ${stepS.toFixed(2)} s ` +
      `(${fmt(speed(row, 'train-step')!)} samples/s); wall-time overhead ${(overhead * 100).toFixed(1)}%, ` +
      `epoch-throughput overhead ${((1 - speed(row, 'train-step')! / speed(row, 'myelin-torch')!) * 100).toFixed(1)}%; peak RSS ${rss(row, 'myelin-torch')} / ${rss(row, 'train-step')}`,
  );
  verdicts.push(
    `(c) train-step wall-time overhead ${(overhead * 100).toFixed(1)}% (goal ≤ 10%) ${overhead <= 0.1 ? 'met' : 'MISSED'}`,
  );
}
if (quick)
  console.log('--quick: one short round on fewer rows, a smoke test; its ratios are not a measurement');
console.log(verdicts.join('\n'));
