import { describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { parseSpecCached } from './parsed-spec-cache.js';

const TEXT =
  'apiVersion: myelin/v1\nname: cached\ndata: { source: d.csv, target: y }\nmodel: { layers: [ { dense: { units: 1 } } ] }\n';

describe('parseSpecCached', () => {
  it("returns parseSpec's result, parsed once per text and file and frozen", () => {
    const a = parseSpecCached(TEXT, '/p/cached.yaml');
    expect(a).toEqual(parseSpec(TEXT, '/p/cached.yaml'));
    expect(parseSpecCached(TEXT, '/p/cached.yaml')).toBe(a);
    expect(parseSpecCached(TEXT, '/q/cached.yaml').file).toBe('/q/cached.yaml');
    expect(Object.isFrozen(a.spec.model)).toBe(true);
    expect(() => {
      a.spec.name = 'changed';
    }).toThrow(TypeError);
  });
});
