import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] })).toBe(
      '{"a":[true,{"c":"x","d":null}],"b":1}',
    );
  });

  it('gives the same text for objects built in another order', () => {
    const one = { x: { z: 1, y: [1, 2] }, w: 'é\n' };
    const two = { w: 'é\n', x: { y: [1, 2], z: 1 } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(JSON.parse(canonicalJson(one))).toEqual(one);
  });

  it('follows JSON.stringify for undefined, dates and non-finite numbers', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], c: new Date(0), d: NaN })).toBe(
      '{"b":[null],"c":"1970-01-01T00:00:00.000Z","d":null}',
    );
  });

  it('refuses bigints and cycles', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    const shared = { v: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"v":1},{"v":1}]');
  });
});
