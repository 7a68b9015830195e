/**
 * `npm run bench:tune [-- --trials N] [--workers 1,2,4] [--queue]`: the hyperparameter search of
 * `examples/penguins/tune.yaml` with 1, 2 and 4 workers, beside the hand-set
 * `examples/penguins/pipeline.yaml` (trained on the embedded stack). Without `--queue` the workers
 * are in-process lanes (`tune.parallelism`) of a fresh embedded stack; with `--queue` they are N
 * real `myelin worker` processes (concurrency 1, `MYELIN_THREADS` = cores / N each) on a
 * redis-server this script starts, every trial a child job of the train job on `myelin-cpu`.
 * Each queue run follows a warm-up search of one trial per worker on the same workers (a worker's
 * first job starts its sandboxed step process: torch and the data load once, for seconds).
 * Prints the search's wall time (preprocess finished → train step finished) and the speed-up
 * against 1 worker, the best trial's validation accuracy and the test metrics evaluate measured
 * for the registered (best) model vs the hand-set one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '@myelin/spec';
import { openEmbeddedStack, openStack, runPipeline, type Stack } from '@myelin/pipeline';
import { startRedisServer } from '@myelin/pipeline/testing';
import { benchArgs } from './bench-args.js';

const args = benchArgs(process.argv.slice(2));
const trials = args.int('--trials') ?? 16;
const workers = (args.list('--workers') ?? ['1', '2', '4']).map(Number);
const queued = args.flag('--queue');
const dir = fileURLToPath(new URL('../../../examples/penguins/', import.meta.url));
const cli = fileURLToPath(new URL('../../../apps/cli/bin/myelin.js', import.meta.url));
const cores = availableParallelism();

interface Row {
  label: string;
  trainS: number;
  bestVal: number | null;
  test: Record<string, number>;
}

/** Runs a pipeline on `stack` and reads its figures. */
async function measure(stack: Stack, file: string, text: string, label: string): Promise<Row> {
  const summary = await runPipeline(parseSpec(text, join(dir, file)), stack, {
    noCache: true,
    onEvent: (e) => {
      if (e.type === 'log' && /^trial \d+/.test(e.message))
        process.stderr.write(`  [${label}] ${e.message}\n`);
    },
  });
  if (summary.status !== 'succeeded')
    throw new Error(`${label}: run ${summary.status}: ${summary.error?.message ?? ''}`);
  const run = await stack.meta.getRun(summary.runId);
  const preprocess = run!.steps.find((s) => s.name === 'preprocess')!;
  const train = run!.steps.find((s) => s.name === 'train')!;
  const evaluate = run!.steps.find((s) => s.name === 'evaluate')!;
  const tune = train.outputs?.['tune'] as { bestMetric: number } | undefined;
  return {
    label,
    trainS: ((train.finishedAt ?? 0) - (preprocess.finishedAt ?? 0)) / 1000,
    bestVal: tune?.bestMetric ?? null,
    test: (evaluate.outputs?.['metrics'] ?? {}) as Record<string, number>,
  };
}

/** One run on a fresh embedded stack (trials as in-process lanes). */
async function runOnce(file: string, text: string, label: string): Promise<Row> {
  const home = mkdtempSync(join(tmpdir(), 'myelin-bench-tune-'));
  const stack = await openEmbeddedStack(home);
  try {
    return await measure(stack, file, text, label);
  } finally {
    await stack.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** One run on a fresh queue stack with `n` `myelin worker` processes (trials as child jobs). */
async function runQueued(text: string, n: number, label: string): Promise<Row> {
  const home = mkdtempSync(join(tmpdir(), 'myelin-bench-tune-q-'));
  const redis = await startRedisServer();
  const prefix = `bench-tune-${process.pid}-${n}`;
  const env = {
    ...process.env,
    MYELIN_HOME: home,
    MYELIN_REDIS_URL: redis.url,
    MYELIN_QUEUE_PREFIX: prefix,
    MYELIN_THREADS: String(Math.max(1, Math.floor(cores / n))),
    MYELIN_NO_PROGRESS: '1',
    NO_COLOR: '1',
  };
  const stack = await openStack({
    config: {
      executor: { kind: 'bullmq', url: redis.url, prefix },
      artifacts: { kind: 'fs', root: join(home, 'artifacts') },
      database: { kind: 'sqlite', dir: home },
      file: null,
    },
  });
  const procs: ChildProcess[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const child = spawn(process.execPath, [cli, 'worker', '--queues', 'cpu', '--concurrency', '1'], {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      procs.push(child);
    }
    // a warm-up search of one trial per worker first: every worker's sandboxed step process has
    // loaded torch and the data before the timed run (a cold one costs seconds, as long as a trial)
    await measure(stack, 'tune.yaml', text.replace(/maxTrials: \d+/, `maxTrials: ${n}`), `${label} warm-up`);
    return await measure(stack, 'tune.yaml', text, label);
  } finally {
    await stack.close();
    await Promise.all(
      procs.map(
        (p) =>
          new Promise((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve(null);
            p.once('exit', resolve);
            p.kill('SIGTERM');
          }),
      ),
    );
    await redis.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

const tuneText = readFileSync(join(dir, 'tune.yaml'), 'utf8').replace(
  /maxTrials: \d+/,
  `maxTrials: ${trials}`,
);
const how = queued ? 'myelin worker processes, trials as queue jobs' : 'in-process lanes';
console.error(`bench:tune — ${trials} trials of penguins, ${cores} cores, ${how}`);
const rows: Row[] = [];
for (const w of workers) {
  const label = `${w} worker${w > 1 ? 's' : ''}`;
  rows.push(
    queued
      ? await runQueued(tuneText, w, label)
      : await runOnce('tune.yaml', tuneText.replace(/parallelism: \d+/, `parallelism: ${w}`), label),
  );
}
const hand = await runOnce('pipeline.yaml', readFileSync(join(dir, 'pipeline.yaml'), 'utf8'), 'hand-set');
const base = rows[0]!.trainS;
const f = (x: number | undefined | null, d = 4) => (x === undefined || x === null ? '—' : x.toFixed(d));
console.log(`\n${trials} trials of penguins (examples/penguins/tune.yaml), ${cores} cores, ${how}`);
console.log(
  '| run | search wall s | speed-up vs 1 worker | best trial val accuracy | test accuracy | test macroF1 | test logLoss |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of [...rows, hand]) {
  const ratio = r === hand ? '—' : `${(base / r.trainS).toFixed(2)}x`;
  console.log(
    `| ${r.label} | ${f(r.trainS, 1)} | ${ratio} | ${f(r.bestVal)} | ${f(r.test['accuracy'])} | ${f(r.test['macroF1'])} | ${f(r.test['logLoss'])} |`,
  );
}
