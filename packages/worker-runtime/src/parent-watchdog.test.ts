import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { watchParent } from './parent-watchdog.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-watchdog-'));
const watchdogUrl = pathToFileURL(join(import.meta.dirname, 'parent-watchdog.ts')).href;
// the child: watches its parent, then spins its main thread for a minute, as a training epoch does
const childFile = join(dir, 'child.mjs');
writeFileSync(
  childFile,
  `const { watchParent } = await import(${JSON.stringify(watchdogUrl)});
process.on('disconnect', () => {});
process.send({ watching: watchParent() });
const end = Date.now() + 60000;
while (Date.now() < end) {}
`,
);
// the parent (a stand-in for the worker): forks the child the way BullMQ does (stdio 'pipe' + IPC)
const parentFile = join(dir, 'parent.cjs');
writeFileSync(
  parentFile,
  `const { fork } = require('node:child_process');
const c = fork(${JSON.stringify(childFile)}, [], { execArgv: ['--import', 'tsx'], stdio: 'pipe' });
c.on('message', (m) => console.log(JSON.stringify({ child: c.pid, ...m })));
setInterval(() => {}, 1000);
`,
);

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('watchParent: a sandboxed child dies with its worker', () => {
  it('kills a child whose main thread is busy the moment its parent is SIGKILLed', async () => {
    const parent = spawn(process.execPath, [parentFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let child = 0;
    try {
      for (let i = 0; i < 600 && !out.includes('\n'); i++) await sleep(50);
      const hello = JSON.parse(out.split('\n')[0]!) as { child: number; watching: boolean };
      child = hello.child;
      expect(hello.watching).toBe(true);
      expect(alive(child)).toBe(true);
      parent.kill('SIGKILL');
      // bounded wait: without the watchdog the busy child would spin on for its whole minute
      for (let i = 0; i < 100 && alive(child); i++) await sleep(50);
      expect(alive(child)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
      if (child && alive(child)) process.kill(child, 'SIGKILL');
    }
  });

  it('does nothing when the descriptor is not a pipe', () => {
    expect(watchParent(999)).toBe(false);
  });
});
