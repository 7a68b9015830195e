#!/usr/bin/env node
// Benchmark entry: `node tools/bench/bin/run.js data [--rows N]` (also used for the child phases).
import { register } from 'tsx/esm/api';

register();
const [what] = process.argv.slice(2);
if (what === 'data') {
  await import('../src/bench-data.ts');
} else if (what === 'data-phase') {
  await import('../src/data-phase.ts');
} else {
  console.error('usage: node tools/bench/bin/run.js data [--rows N]');
  process.exit(2);
}
