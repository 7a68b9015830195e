/**
 * `npm run bench:train:tfjs [-- --epochs N] [--quick] [--reps N] [--pipeline] [--backends cpu,wasm]
 * [--models mlp,cnn] [--rows N]`: training throughput
 * through Myelin next to a plain `model.fit` of the same tfjs model, data, batch size, optimizer
 * and backend.
 *
 * For every backend `availableBackends()` finds and two models (digits MLP 64-64-128-64-10 and
 * the small CNN conv16-pool-conv32-pool-dense10), on 1,797 seeded synthetic digits-sized rows,
 * batch 32, adam 1e-3, no validation, no early stopping:
 * - raw:      hand-built `tf.sequential` + `model.fit(x, y, { shuffle: true })`;
 * - Myelin:   `buildModel(LayerSpec[])` + `trainModel` — what the pipeline's train step runs;
 * - pipeline (with `--pipeline`): the whole `STEPS.train.run` on a real `FsArtifactStore` in a
 *   temp folder (off by default: it adds half again to the run time).
 * Each run trains 1 warm-up epoch + N timed epochs (default 2) and times only the timed ones
 * (from epoch-end timestamps: setup and warm-up excluded on all sides); samples/s = rows·N / s.
 * Each (backend, model) runs in its own child process, the methods interleaved, 3 rounds;
 * the table shows medians. `--quick`: 1 timed epoch, 1 round. The default run takes about
 * 2.5 minutes on 2 busy cores, almost all of it the CNN on the pure-JS cpu backend.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableBackends } from '@myelin/training';
import { benchArgs } from './bench-args.js';
import { median, type Measurement, type Method, type ModelName, type PhaseArgs } from './train-lib.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const runJs = join(here, '..', 'bin', 'run.js');
const args = benchArgs(process.argv.slice(2));
const quick = args.flag('--quick');
const epochs = args.int('--epochs') ?? (quick ? 1 : 2);
const reps = args.int('--reps') ?? (quick ? 1 : 3);
const rows = args.int('--rows') ?? 1797;
const methods: Method[] = args.flag('--pipeline') ? ['raw', 'myelin', 'pipeline'] : ['raw', 'myelin'];
const list = args.list;
const models = (list('--models') ?? ['mlp', 'cnn']) as ModelName[];
if (models.some((m) => m !== 'mlp' && m !== 'cnn')) throw new Error('--models takes mlp and/or cnn');
const GOAL = 0.95;

const only = list('--backends');
const backends = (await availableBackends()).filter((b) => !only || only.includes(b));
console.log(
  `bench:train — backends ${backends.join(', ')}; ${rows} rows, batch 32, adam 1e-3; 1 warm-up + ${epochs} timed epochs; ` +
    `median of ${reps}; one child process per (backend, model), methods interleaved`,
);

interface PhaseResult {
  backend: string;
  model: ModelName;
  runs: Measurement[];
}

function phase(args: PhaseArgs): PhaseResult {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [runJs, 'train-phase', JSON.stringify(args)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stderr.write(
    `  ${args.backend}/${args.model}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string) as PhaseResult;
}

const results: PhaseResult[] = [];
for (const backend of backends) {
  for (const model of models) {
    results.push(phase({ backend, model, rows, epochs, reps, batchSize: 32, methods }));
  }
}

const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');
const head = ['backend', 'model', 'raw samples/s', 'Myelin samples/s', 'ratio'];
if (methods.includes('pipeline')) head.push('pipeline samples/s', 'ratio');
head.push('spread', 'final loss raw / Myelin');
const low: string[] = [];
const body = results.map((r) => {
  const of = (m: Method): Measurement[] => r.runs.filter((x) => x.method === m);
  const speed = (m: Method): number => median(of(m).map((x) => x.samplesPerSec));
  const raw = speed('raw');
  const myelin = speed('myelin');
  const row = [r.backend, r.model, fmt(raw), fmt(myelin), (myelin / raw).toFixed(2)];
  if (myelin / raw < GOAL) low.push(`${r.backend}/${r.model}`);
  if (methods.includes('pipeline')) {
    const pipe = speed('pipeline');
    row.push(fmt(pipe), (pipe / raw).toFixed(2));
  }
  // the widest (max − min) / median of any method's rounds: how far to trust the ratio
  const spread = Math.max(
    ...methods.map((m) => {
      const v = of(m).map((x) => x.samplesPerSec);
      return (Math.max(...v) - Math.min(...v)) / median(v);
    }),
  );
  row.push(reps > 1 ? `${Math.round(spread * 100)}%` : '–');
  const loss = (m: Method): string => median(of(m).map((x) => x.finalLoss)).toFixed(3);
  row.push(`${loss('raw')} / ${loss('myelin')}`);
  return row;
});
const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
console.log([line(head), ...body.map(line)].join('\n'));
if (quick) console.log('--quick: one short round, a smoke test; its ratios are not a measurement');
console.log(
  `goal: Myelin ÷ raw ≥ ${GOAL}` + (low.length ? ` — below it: ${low.join(', ')}` : ' — met everywhere'),
);
