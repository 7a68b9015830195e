import { describe, expect, it } from 'vitest';
import { decodeTarget, fitTargetEncoder } from '@myelin/data';
import { classLabels } from './decode-outputs.js';

describe('classLabels (the classes a prediction answers with)', () => {
  it('are in the type of the labels: a 0/1 target gives [0, 1], not ["0", "1"]', () => {
    const enc = fitTargetEncoder([0, 1, 1, 0], 'binary');
    expect(classLabels(enc)).toEqual([0, 1]);
    // the label a prediction gives is one of the classes, as it is
    expect(classLabels(enc).indexOf(decodeTarget(enc, 1))).toBe(1);
  });

  it('keep text and booleans as they are', () => {
    expect(classLabels(fitTargetEncoder(['yes', 'no', 'yes'], 'binary'))).toEqual(['no', 'yes']);
    expect(classLabels(fitTargetEncoder([true, false], 'binary'))).toEqual([false, true]);
  });
});
