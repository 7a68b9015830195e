import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { buildRunSummary } from './run-summary.js';
import { parseStoredRunSummary } from './stored-run-summary.js';
import type { ExecutionResult } from '../executor/executor.js';

const run = { runId: 'r-000001', pipeline: 'p', specHash: 'h' };
const steps: ExecutionResult['steps'] = [
  { name: 'train', status: 'succeeded', durationMs: 1 },
  { name: 'evaluate', status: 'succeeded', durationMs: 1 },
  { name: 'register', status: 'succeeded', durationMs: 1 },
];
const evaluate = {
  evaluation: 'e',
  metrics: { accuracy: 0.9 },
  gates: { f1: { passed: false, value: Number.NaN, bound: '>= 0.5', kind: 'absolute' } },
  passed: false,
  comparison: null,
};
const engine = { name: 'tfjs', version: 'tfjs 4', device: 'wasm', threads: 1 };

describe('buildRunSummary reads the steps’ outputs by their declared types', () => {
  it('reads them as JSON brings them back: a NaN gate value written as null is NaN again', () => {
    const fromJson = JSON.parse(
      JSON.stringify({
        evaluate,
        train: { backend: 'wasm', engine },
        register: { manifest: 'm', model: 'x', version: 2, aliases: ['a'] },
      }),
    );
    const s = buildRunSummary(run, { steps, outputs: fromJson });
    expect(s.gates.f1?.value).toBeNaN();
    expect(s.metrics.test).toEqual({ accuracy: 0.9 });
    expect(s.model).toEqual({ name: 'x', version: 2, manifest: 'm', aliases: ['a'] });
    expect(s.engine).toEqual(engine);
    expect(s.backend).toBe('wasm');
  });

  it('leaves out what a step did not produce (a swapped-in step’s outputs)', () => {
    const s = buildRunSummary(run, { steps, outputs: { evaluate: { ok: 1 }, register: { ok: 1 } } });
    expect(s).toMatchObject({ metrics: { test: {} }, gates: {}, model: null, manifest: null, engine: null });
  });

  it('fails naming the step and field whose value has another type', () => {
    const bad = { evaluate: { ...evaluate, gates: { f1: { ...evaluate.gates.f1, passed: 'no' } } } };
    expect(() => buildRunSummary(run, { steps, outputs: bad })).toThrow(
      /step evaluate outputs field gates\.f1\.passed/,
    );
  });

  it('takes a failed gate’s stored manifest from the error’s cause', () => {
    const error = new MyelinError('MYELIN_ERR_GATE_FAILED', 'gate failed', undefined, {
      cause: { manifest: 'mf' },
    });
    expect(buildRunSummary(run, { steps: steps.slice(0, 2), outputs: {}, error }).manifest).toBe('mf');
  });
});

describe('parseStoredRunSummary', () => {
  it('reads a stored summary back, and none for a run still going', () => {
    const stored = JSON.parse(JSON.stringify(buildRunSummary(run, { steps, outputs: { evaluate } })));
    expect(parseStoredRunSummary(stored, run.runId).gates?.f1).toMatchObject({
      passed: false,
      kind: 'absolute',
    });
    expect(parseStoredRunSummary(null, run.runId)).toEqual({});
  });

  it('fails naming the run and the field that has another shape', () => {
    expect(() => parseStoredRunSummary({ model: { name: 'x', version: '2' } }, 'r-000002')).toThrow(
      /run r-000002: its stored summary field model\.version/,
    );
  });
});
