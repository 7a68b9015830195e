import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';

describe('jsonDepth / parseJsonBody', () => {
  it('counts nesting outside strings only, and stops at the limit', () => {
    expect(jsonDepth('{"a":[1,[2]]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{\\"[["}')).toBe(1);
    expect(jsonDepth('[]')).toBe(1);
    expect(jsonDepth('3')).toBe(0);
    expect(jsonDepth('['.repeat(100_000), 10)).toBe(11);
  });

  it('parses JSON, refusing empty, malformed, too deep and prototype-poisoning bodies with 400', () => {
    expect(parseJsonBody('{"instances":[1]}')).toEqual({ instances: [1] });
    const refuse = (text: string, message: RegExp) => {
      try {
        parseJsonBody(text);
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({
          code: 'MYELIN_ERR_SERVING_BAD_REQUEST',
          message: expect.stringMatching(message),
        });
      }
    };
    refuse('', /The document is empty/);
    refuse('instances = [1, 2]', /JSON Parse error/);
    refuse(`${'['.repeat(4500)}${']'.repeat(4500)}`, new RegExp(`nested deeper than ${MAX_JSON_DEPTH}`));
    refuse(`{"instances":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`, /nested deeper/);
    refuse('{"__proto__":{"x":1}}', /JSON Parse error/);
    refuse('{"\\u005f_proto__":{"x":1}}', /JSON Parse error/);
    refuse('{"a":{"constructor":{"prototype":{"x":1}}}}', /JSON Parse error/);
    refuse('{"a":{"constr\\u0075ctor":{"prototype":{"x":1}}}}', /JSON Parse error/);
    expect(parseJsonBody('\ufeff{"a":"\\u00e9"}')).toEqual({ a: 'é' });
    expect(parseJsonBody(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeInstanceOf(Array);
    refuse('  \n ', /The document is empty/);
  });

  it('reads a shallow body with more brackets than the depth limit (in strings and siblings)', () => {
    const many = Array.from({ length: 3 * MAX_JSON_DEPTH }, (_, i) => ({ k: `[{${i}` }));
    expect(parseJsonBody(JSON.stringify({ instances: many }))).toEqual({ instances: many });
  });
});
