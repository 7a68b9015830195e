#!/usr/bin/env node
// Benchmark entry: `node tools/bench/bin/run.js data [--rows N]` or
// `node tools/bench/bin/run.js train [--epochs N] [--quick]` (the engines side by side),
// `node tools/bench/bin/run.js train-tfjs` (tfjs backends: Myelin vs model.fit); also the child phases.
import { register } from 'tsx/esm/api';

register();
const [what] = process.argv.slice(2);
if (what === 'data') {
  await import('../src/bench-data.ts');
} else if (what === 'data-phase') {
  await import('../src/data-phase.ts');
} else if (what === 'train') {
  await import('../src/bench-engines.ts');
} else if (what === 'engine-phase') {
  await import('../src/engine-phase.ts');
} else if (what === 'train-tfjs') {
  await import('../src/bench-train.ts');
} else if (what === 'train-phase') {
  await import('../src/train-phase.ts');
} else {
  console.error('usage: node tools/bench/bin/run.js data [--rows N] | train [--epochs N] [--quick]');
  process.exit(2);
}
