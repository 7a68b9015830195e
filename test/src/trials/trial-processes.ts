import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { bin, repoRoot } from '../myelin-cli.js';

/** A `myelin …` process a trial started, with everything it printed so far. */
export interface TrialProcess {
  child: ChildProcess;
  /** stdout and stderr together, as they arrived. */
  out: string;
  exited: Promise<number | null>;
  /** True until the process exited. */
  alive(): boolean;
}

/** Starts `myelin <args>` with the trial's environment (its stack, loopback only). */
export function startMyelinProcess(args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot): TrialProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, MYELIN_NO_PROGRESS: '1', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const p: TrialProcess = {
    child,
    out: '',
    exited: new Promise((resolve) =>
      child.once('exit', (code) => {
        exited = true;
        resolve(code);
      }),
    ),
    alive: () => !exited,
  };
  child.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.out += d.toString()));
  return p;
}

/** Waits (bounded) until `check` holds; throws naming `what` when it never does. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** The one JSON object a `myelin … --json` process printed last. */
export function lastJson<T>(out: string): T {
  const start = out.lastIndexOf('\n{');
  const text = out.slice(start + 1);
  return JSON.parse(text.slice(0, text.lastIndexOf('}') + 1)) as T;
}

/** Pids of a process's children (the sandboxed step processes of a worker), from /proc. */
export async function childPids(pid: number): Promise<number[]> {
  const { readFile, readdir } = await import('node:fs/promises');
  const out: number[] = [];
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const c of text.split(/\s+/).filter(Boolean)) out.push(Number(c));
  }
  return out;
}

/** True while a process with this pid exists (and is not a zombie). */
export async function pidAlive(pid: number): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return false;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Stops every process given: SIGKILL, then waits for each to exit. */
export async function killAll(procs: readonly TrialProcess[]): Promise<void> {
  for (const p of procs) if (p.alive()) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
}
