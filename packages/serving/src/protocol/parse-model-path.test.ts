import { describe, expect, it } from 'vitest';
import { parseKserveV2Path, parseTfServingPath } from './parse-model-path.js';

// Cases from TF Serving's http_rest_api_handler_test.cc (UnsupportedApiCalls, Predict, GetStatus)
// and api_rest.md's URL grammar, after the `/v1/models/` prefix.
describe('parseTfServingPath', () => {
  it.each([
    ['POST', 'penguins:predict', { model: 'penguins', selector: {}, action: 'predict' }],
    [
      'POST',
      'penguins/versions/3:predict',
      { model: 'penguins', selector: { version: 3 }, action: 'predict' },
    ],
    [
      'POST',
      'penguins/labels/canary:classify',
      { model: 'penguins', selector: { label: 'canary' }, action: 'classify' },
    ],
    [
      'POST',
      'penguins/versions/0:regress',
      { model: 'penguins', selector: { version: 0 }, action: 'regress' },
    ],
    ['POST', 'penguins/feedback', { model: 'penguins', selector: {}, action: 'feedback' }],
    ['POST', 'my%2Dmodel:predict', { model: 'my-model', selector: {}, action: 'predict' }],
    [
      'POST',
      'penguins/VERSIONS/3:PREDICT',
      { model: 'penguins', selector: { version: 3 }, action: 'predict' },
    ],
    ['GET', 'penguins', { model: 'penguins', selector: {}, action: '' }],
    ['GET', 'penguins/versions/2', { model: 'penguins', selector: { version: 2 }, action: '' }],
    ['GET', 'penguins/metadata', { model: 'penguins', selector: {}, action: 'metadata' }],
    [
      'GET',
      'penguins/Labels/production/MetaData',
      { model: 'penguins', selector: { label: 'production' }, action: 'metadata' },
    ],
    [
      'GET',
      'penguins/versions/2/features',
      { model: 'penguins', selector: { version: 2 }, action: 'features' },
    ],
  ] as const)('%s %s', (method, tail, expected) => {
    expect(parseTfServingPath(method, tail)).toEqual(expected);
  });

  it.each([
    ['POST', 'penguins:explode', /Malformed request: POST/],
    ['GET', 'foo:predict', /Malformed request: GET/],
    ['GET', 'foo/version/50:predict', /Malformed request/],
    ['POST', 'foo/version/50:regress', /Malformed request/],
    ['POST', 'foo/versions/HELLO:regress', /version "HELLO" is not a number/],
    ['POST', 'foo/versions/some_label:regress', /is not a number/],
    ['POST', 'foo/versions/18446744073709551615:regress', /Failed to convert version/],
    ['POST', 'foo/metadata', /Malformed request/],
    ['POST', 'foo/label/some_label:regress', /Malformed request/],
    ['POST', 'foo/versions/50/labels/some_label:regress', /Malformed request/],
    ['GET', 'debug/model_name', /Malformed request/],
    ['POST', '%E0%A4%A:predict', /Failed to decode model name/],
  ] as const)('refuses %s %s as TF Serving does (400)', (method, tail, message) => {
    const r = parseTfServingPath(method, tail);
    expect(r).toHaveProperty('malformed');
    expect((r as { malformed: string }).malformed).toMatch(message);
  });
});

describe('parseKserveV2Path', () => {
  it.each([
    ['penguins/infer', { model: 'penguins', selector: {}, action: 'infer' }],
    ['penguins/versions/7/infer', { model: 'penguins', selector: { version: 7 }, action: 'infer' }],
    ['penguins', { model: 'penguins', selector: {}, action: '' }],
    ['penguins/ready', { model: 'penguins', selector: {}, action: 'ready' }],
    ['penguins/Versions/7/READY', { model: 'penguins', selector: { version: 7 }, action: 'ready' }],
  ])('%s', (tail, expected) => {
    expect(parseKserveV2Path(tail)).toEqual(expected);
  });

  it('refuses other shapes (null: no route) and a non-numeric version (malformed)', () => {
    for (const tail of ['penguins/labels/x/infer', 'penguins:predict/x/y', 'a/b/c/d/infer'])
      expect(parseKserveV2Path(tail)).toBeNull();
    expect(parseKserveV2Path('penguins/versions/a/infer')).toEqual({
      malformed: 'version "a" is not a number',
    });
  });
});
