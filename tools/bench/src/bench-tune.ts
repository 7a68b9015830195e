/**
 * `npm run bench:tune [-- --trials N] [--workers 1,2,4]`: the hyperparameter search of
 * `examples/penguins/tune.yaml` with 1, 2 and 4 trials at a time (`tune.parallelism`, trials run as
 * in-process lanes of the embedded stack), each on a fresh embedded stack in a temp folder, beside
 * the hand-set `examples/penguins/pipeline.yaml` trained the same way. Prints the train step's wall
 * time (the search itself) and the ratio against 1 worker, the best trial's validation accuracy
 * and the test metrics evaluate measured for the registered (best) model vs the hand-set one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '@myelin/spec';
import { openEmbeddedStack, runPipeline } from '@myelin/pipeline';
import { benchArgs } from './bench-args.js';

const args = benchArgs(process.argv.slice(2));
const trials = args.int('--trials') ?? 16;
const workers = (args.list('--workers') ?? ['1', '2', '4']).map(Number);
const dir = fileURLToPath(new URL('../../../examples/penguins/', import.meta.url));

interface Row {
  label: string;
  trainS: number;
  bestVal: number | null;
  test: Record<string, number>;
}

async function runOnce(file: string, text: string, label: string): Promise<Row> {
  const home = mkdtempSync(join(tmpdir(), 'myelin-bench-tune-'));
  const stack = await openEmbeddedStack(home);
  try {
    const summary = await runPipeline(parseSpec(text, join(dir, file)), stack, {
      noCache: true,
      onEvent: (e) => {
        if (e.type === 'log' && /^trial \d+/.test(e.message)) process.stderr.write(`  [${label}] ${e.message}\n`);
      },
    });
    if (summary.status !== 'succeeded') throw new Error(`${label}: run ${summary.status}: ${summary.error?.message ?? ''}`);
    const run = await stack.meta.getRun(summary.runId);
    const train = run!.steps.find((s) => s.name === 'train')!;
    const evaluate = run!.steps.find((s) => s.name === 'evaluate')!;
    const tune = train.outputs?.['tune'] as { bestMetric: number } | undefined;
    return {
      label,
      trainS: ((train.finishedAt ?? 0) - (train.startedAt ?? 0)) / 1000,
      bestVal: tune?.bestMetric ?? null,
      test: (evaluate.outputs?.['metrics'] ?? {}) as Record<string, number>,
    };
  } finally {
    await stack.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const tuneText = readFileSync(join(dir, 'tune.yaml'), 'utf8').replace(/maxTrials: \d+/, `maxTrials: ${trials}`);
console.error(`bench:tune — ${trials} trials of penguins, ${availableParallelism()} cores`);
const rows: Row[] = [];
for (const w of workers) {
  rows.push(await runOnce('tune.yaml', tuneText.replace(/parallelism: \d+/, `parallelism: ${w}`), `${w} worker${w > 1 ? 's' : ''}`));
}
const hand = await runOnce('pipeline.yaml', readFileSync(join(dir, 'pipeline.yaml'), 'utf8'), 'hand-set');
const base = rows[0]!.trainS;
const f = (x: number | undefined | null, d = 4) => (x === undefined || x === null ? '—' : x.toFixed(d));
console.log(`\n${trials} trials of penguins (examples/penguins/tune.yaml), ${availableParallelism()} cores`);
console.log('| run | train step wall s | speed-up vs 1 worker | best trial val accuracy | test accuracy | test macroF1 | test logLoss |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of [...rows, hand]) {
  const ratio = r === hand ? '—' : `${(base / r.trainS).toFixed(2)}x`;
  console.log(`| ${r.label} | ${f(r.trainS, 1)} | ${ratio} | ${f(r.bestVal)} | ${f(r.test['accuracy'])} | ${f(r.test['macroF1'])} | ${f(r.test['logLoss'])} |`);
}
