import { describe, expect, it } from 'vitest';
import { parseKserveV2Path, parseTfServingPath } from './parse-model-path.js';

describe('parseTfServingPath', () => {
  it.each([
    ['penguins:predict', { model: 'penguins', selector: {}, action: 'predict' }],
    ['penguins/versions/3:predict', { model: 'penguins', selector: { version: 3 }, action: 'predict' }],
    [
      'penguins/labels/canary:predict',
      { model: 'penguins', selector: { label: 'canary' }, action: 'predict' },
    ],
    ['penguins', { model: 'penguins', selector: {}, action: '' }],
    ['penguins/versions/2', { model: 'penguins', selector: { version: 2 }, action: '' }],
    ['penguins/metadata', { model: 'penguins', selector: {}, action: 'metadata' }],
    [
      'penguins/labels/production/metadata',
      { model: 'penguins', selector: { label: 'production' }, action: 'metadata' },
    ],
    ['penguins/feedback', { model: 'penguins', selector: {}, action: 'feedback' }],
    ['my%2Dmodel:predict', { model: 'my-model', selector: {}, action: 'predict' }],
  ])('%s', (tail, expected) => {
    expect(parseTfServingPath(tail)).toEqual(expected);
  });

  it.each([
    'penguins:explode',
    'penguins/versions/x:predict',
    'penguins/versions/0:predict',
    'penguins/labels/1abc:predict',
    'penguins/other/3:predict',
    'penguins/versions/3/extra:predict',
    '',
    ':predict',
    '%E0%A4%A:predict',
    '../etc:predict',
  ])('refuses %s', (tail) => {
    expect(parseTfServingPath(tail)).toBeNull();
  });
});

describe('parseKserveV2Path', () => {
  it.each([
    ['penguins/infer', { model: 'penguins', selector: {}, action: 'infer' }],
    ['penguins/versions/7/infer', { model: 'penguins', selector: { version: 7 }, action: 'infer' }],
    ['penguins', { model: 'penguins', selector: {}, action: '' }],
    ['penguins/ready', { model: 'penguins', selector: {}, action: 'ready' }],
    ['penguins/versions/7/ready', { model: 'penguins', selector: { version: 7 }, action: 'ready' }],
  ])('%s', (tail, expected) => {
    expect(parseKserveV2Path(tail)).toEqual(expected);
  });

  it.each(['penguins/labels/x/infer', 'penguins/versions/a/infer', 'penguins:predict', 'a/b/c/d/infer'])(
    'refuses %s',
    (tail) => {
      expect(parseKserveV2Path(tail)).toBeNull();
    },
  );
});
