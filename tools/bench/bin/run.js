#!/usr/bin/env node
// Benchmark entry: `node tools/bench/bin/run.js data [--rows N]` or
// `node tools/bench/bin/run.js train [--epochs N] [--quick]` (also used for the child phases).
import { register } from 'tsx/esm/api';

register();
const [what] = process.argv.slice(2);
if (what === 'data') {
  await import('../src/bench-data.ts');
} else if (what === 'data-phase') {
  await import('../src/data-phase.ts');
} else if (what === 'train') {
  await import('../src/bench-train.ts');
} else if (what === 'train-phase') {
  await import('../src/train-phase.ts');
} else {
  console.error('usage: node tools/bench/bin/run.js data [--rows N] | train [--epochs N] [--quick]');
  process.exit(2);
}
