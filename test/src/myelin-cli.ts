import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(repoRoot, 'apps/cli/bin/myelin.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `myelin …` as its own process with MYELIN_HOME set, and waits for it. */
export function myelin(
  args: string[],
  home: string,
  cwd = repoRoot,
  env: Record<string, string> = {},
): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, MYELIN_HOME: home, MYELIN_NO_PROGRESS: '1', NO_COLOR: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `myelin …` without waiting; the caller can watch stderr and kill it. */
export function startMyelin(args: string[], home: string) {
  return spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, MYELIN_HOME: home, MYELIN_NO_PROGRESS: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A long-running `myelin` process (`serve`, `up`, `api`) and what it has printed so far. */
export interface StartedMyelin {
  child: ReturnType<typeof startMyelin>;
  /** The first group of `announce` in its stdout (the URL it listens on). */
  url: string;
  stdout: () => string;
  stderr: () => string;
}

/**
 * Starts `myelin <args>` and resolves once its stdout matches `announce` (by default the
 * `serving … on <url>` line); rejects when it exits first or after `timeoutMs`.
 */
export async function startMyelinServer(
  args: string[],
  home: string,
  announce = /serving .* on (http:\/\/\S+)/,
  timeoutMs = 120_000,
): Promise<StartedMyelin> {
  const child = startMyelin(args, home);
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`myelin ${args[0]}: no ${announce} line; stderr: ${err}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = announce.exec(out);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`myelin ${args[0]} exited with ${code}: ${err}`));
    });
  });
  return { child, url, stdout: () => out, stderr: () => err };
}

/** A scratch folder inside the repo (so `npm:` data sources resolve through its node_modules). */
export function scratch(prefix: string): string {
  const base = join(repoRoot, 'test/.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

/**
 * A maker of scratch folders (see `scratch`) that are removed once the test file's tests end; call
 * it at the top of a test file: `const tmp = scratchFolders();`.
 */
export function scratchFolders(): (prefix: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return (prefix) => {
    const d = scratch(prefix);
    dirs.push(d);
    return d;
  };
}

/** A penguins pipeline with overrides, written into `dir`. */
export function penguinsPipeline(
  dir: string,
  opts: { name?: string; epochs?: number; gate?: number; compareTo?: string; checkpointEvery?: number } = {},
): string {
  const file = join(dir, `${opts.name ?? 'penguins'}.yaml`);
  writeFileSync(
    file,
    `apiVersion: myelin/v1
name: ${opts.name ?? 'penguins'}
data:
  source: npm:vega-datasets/data/penguins.json
  target: Species
  features: [Island, Beak Length (mm), Beak Depth (mm), Flipper Length (mm), Body Mass (g), Sex]
  split: { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true }
preprocess: { impute: { numeric: median, category: mostFrequent }, scale: standard, encode: onehot }
model:
  layers:
    - dense: { units: 16, activation: relu }
train:
  epochs: ${opts.epochs ?? 20}
  batchSize: 16
  optimizer: { name: adam, learningRate: 0.01 }
  seed: 7
  checkpointEvery: ${opts.checkpointEvery ?? 5}
evaluate:
  gates:
    accuracy: { min: ${opts.gate ?? 0.9} }
${opts.compareTo ? `  compareTo: ${opts.compareTo}\n  tolerance: 0.02\n` : ''}register:
  model: ${opts.name ?? 'penguins'}
  aliases: [staging]
`,
  );
  return file;
}

/**
 * Like `myelin` but without blocking this process's event loop — needed when the test itself
 * serves something the CLI talks to (a loopback stub in this process).
 */
export function myelinAsync(
  args: string[],
  home: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, MYELIN_HOME: home, MYELIN_NO_PROGRESS: '1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
