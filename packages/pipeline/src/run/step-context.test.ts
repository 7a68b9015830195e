import { describe, expect, it } from 'vitest';
import { isMyelinError } from '@myelin/errors';
import { input } from './step-context.js';

const preprocess = {
  preprocessor: 'runs/r/preprocess/preprocessor.json',
  targetEncoder: 'runs/r/preprocess/target-encoder.json',
  splits: 'runs/r/preprocess/splits.json',
  tensors: 'runs/r/preprocess/tensors.bin',
  task: 'multiclass',
  inputShape: [6],
  outputs: 3,
  classes: ['Adelie', 'Chinstrap', 'Gentoo'],
  sizes: { train: 240, validation: 52, test: 52 },
};

describe('input', () => {
  it('returns the field of an earlier step whose outputs have their declared shape', () => {
    const ctx = { step: 'train' as const, inputs: { preprocess } };
    expect(input(ctx, 'preprocess', 'task')).toBe('multiclass');
    expect(input(ctx, 'preprocess', 'inputShape')).toEqual([6]);
  });

  it('reads a metric that JSON wrote as null back as NaN', () => {
    const evaluate = {
      evaluation: 'e.json',
      metrics: { mae: null },
      gates: {},
      passed: true,
      comparison: null,
    };
    expect(input({ step: 'register', inputs: { evaluate } }, 'evaluate', 'metrics')['mae']).toBeNaN();
  });

  it('fails naming the step and the field when a recorded output has another shape', () => {
    const ctx = { step: 'train' as const, inputs: { preprocess: { ...preprocess, task: 'ranking' } } };
    let error: unknown;
    try {
      input(ctx, 'preprocess', 'task');
    } catch (e) {
      error = e;
    }
    expect(isMyelinError(error) && error.code).toBe('MYELIN_ERR_INTERNAL');
    expect(String(error)).toContain('step train: input preprocess field task');
  });

  it('fails naming the input when the earlier step passed no such field', () => {
    const { tensors: _gone, ...rest } = preprocess;
    expect(() => input({ step: 'evaluate', inputs: { preprocess: rest } }, 'preprocess', 'tensors')).toThrow(
      'step evaluate: missing input preprocess.tensors',
    );
  });
});
