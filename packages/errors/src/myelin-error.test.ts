import { describe, expect, it } from 'vitest';
import { exitCodeOf, isErrorCode, MyelinError, MyelinErrorList } from './index.js';

describe('MyelinError', () => {
  it('prefixes the message with file:line:col and the field path', () => {
    const e = new MyelinError('MYELIN_ERR_SPEC_INVALID', 'expected a positive number, got "fast"', {
      file: 'penguins.yaml',
      line: 14,
      column: 5,
      path: 'train.optimizer.learningRate',
    });
    expect(e.message).toBe(
      'penguins.yaml:14:5 train.optimizer.learningRate: expected a positive number, got "fast"',
    );
    expect(e.exitCode).toBe(2);
    expect(e.toJSON().code).toBe('MYELIN_ERR_SPEC_INVALID');
  });

  it('maps data-check and gate failures to exit 1', () => {
    expect(new MyelinError('MYELIN_ERR_GATE_FAILED', 'accuracy 0.9 < 0.95').exitCode).toBe(1);
    expect(new MyelinError('MYELIN_ERR_VALIDATION_FAILED', 'x').exitCode).toBe(1);
  });

  it('keeps exit 2 for bad input and gives an internal error (a bug) exit 3 of its own', () => {
    expect(new MyelinError('MYELIN_ERR_INTERNAL', 'x').exitCode).toBe(3);
    expect(new MyelinError('MYELIN_ERR_STACK_UNREACHABLE', 'x').exitCode).toBe(2);
    expect(exitCodeOf('MYELIN_ERR_GATE_FAILED')).toBe(1);
    expect(exitCodeOf('MYELIN_ERR_DATA_READ')).toBe(2);
    expect(exitCodeOf('not a code')).toBe(3);
  });

  it('tells the catalogue’s own codes from anything else read from outside', () => {
    expect(isErrorCode('MYELIN_ERR_GATE_FAILED')).toBe(true);
    // not Object.prototype's keys, which `in` would accept
    for (const v of ['toString', 'constructor', 'MYELIN_ERR_NOPE', 7, null])
      expect(isErrorCode(v)).toBe(false);
    expect(exitCodeOf('toString')).toBe(3);
  });

  it('joins a list of errors one per line', () => {
    const list = new MyelinErrorList([
      new MyelinError('MYELIN_ERR_SPEC_UNKNOWN_KEY', 'unknown key "epoch"', {
        file: 'a.yaml',
        line: 3,
        column: 3,
      }),
      new MyelinError('MYELIN_ERR_SPEC_INVALID', 'bad', { file: 'a.yaml', line: 5, column: 1 }),
    ]);
    expect(list.message.split('\n')).toHaveLength(2);
    expect(list.errors).toHaveLength(2);
  });
});
