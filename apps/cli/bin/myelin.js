#!/usr/bin/env node
// The `myelin` command. It runs the compiled build (apps/cli/dist, made at `npm ci`) when that is
// up to date with the sources, else the TypeScript sources through tsx's loader, so a fresh clone
// works right after `npm ci` and an edited checkout runs what it holds (MYELIN_DEBUG=1 says which).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledEntry } from './compiled-entry.mjs';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = compiledEntry(cliDir);
if (process.env.MYELIN_DEBUG === '1')
  process.stderr.write(`myelin: running ${compiled.entry ? 'the compiled build' : `the sources through tsx (${compiled.why})`}\n`);
let main;
if (compiled.entry) {
  ({ main } = await import(pathToFileURL(compiled.entry).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv);
