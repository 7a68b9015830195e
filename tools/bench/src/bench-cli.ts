// `npm run bench:cli [-- --reps N]`: how long the `myelin` command takes to start, against `node -e 0`
// measured in the same run: --version, --help and two commands that train nothing (validate, runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'apps/cli/bin/myelin.js');
const reps = benchArgs(process.argv.slice(2)).int('--reps') ?? 5;
const home = mkdtempSync(join(tmpdir(), 'myelin-bench-cli-'));

const cases: { name: string; args: string[] }[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'myelin --version', args: [bin, '--version'] },
  { name: 'myelin --help', args: [bin, '--help'] },
  {
    name: 'myelin validate examples/penguins/pipeline.yaml',
    args: [bin, 'validate', 'examples/penguins/pipeline.yaml'],
  },
  { name: 'myelin runs', args: [bin, 'runs'] },
];

/** Median wall time of one command line in milliseconds (after one warm-up run). */
function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      env: { ...process.env, MYELIN_HOME: home, MYELIN_NO_PROGRESS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

try {
  console.log(`CLI start, median of ${reps} runs each (one warm-up), ratio against node -e 0:`);
  let baseline = 0;
  for (const c of cases) {
    const ms = medianMs(c.args);
    if (baseline === 0) baseline = ms;
    console.log(
      `  ${c.name.padEnd(50)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / baseline).toFixed(1).padStart(5)}x`,
    );
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
