/**
 * One `bench:train` phase in its own process: one backend, one model, every method, `reps`
 * rounds with the methods interleaved (raw, myelin, pipeline, raw, …) so that load from other
 * processes on the machine hits every method alike.
 * `run.js train-phase '<PhaseArgs JSON>'`; prints one JSON line { backend, model, runs }.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend, type BackendPreference } from '@myelin/training';
import { MEASURE, makeData, type Measurement, type PhaseArgs } from './train-lib.js';

const a = JSON.parse(process.argv[3] ?? '{}') as PhaseArgs;
// the pipeline's train step picks its backend with selectBackend, which honours MYELIN_BACKEND
process.env['MYELIN_BACKEND'] = a.backend;
await useBackend(a.backend as BackendPreference);
const { x, y } = makeData(a.rows);
const runs: Measurement[] = [];
for (let rep = 0; rep < a.reps; rep++) {
  for (const method of a.methods) {
    const before = tf.memory().numTensors;
    const m = await MEASURE[method](a, x, y);
    if (tf.getBackend() !== a.backend) throw new Error(`${method} left the backend at ${tf.getBackend()}`);
    runs.push(m);
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) process.stderr.write(`warning: ${method} left ${leaked} tensors\n`);
  }
}
console.log(JSON.stringify({ backend: a.backend, model: a.model, runs }));
