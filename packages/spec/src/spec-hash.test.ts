import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@myelin/artifacts/canonical-json';
import { parseSpec } from './parse-spec.js';

describe('spec hash', () => {
  it('writes canonical JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe(
      '{"a":[2,{"c":4,"d":3}],"b":1}',
    );
  });

  it('is the one canonical JSON the artifact manifests use (a Date is its ISO string, not {})', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.000Z') })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
  });

  it('is the same for reordered keys, comments and spelled-out defaults', () => {
    const a = parseSpec(
      'apiVersion: myelin/v1\nname: t\ndata: { source: r.csv, target: y }\nmodel: { layers: [] }\n',
      'a.yaml',
    );
    const b = parseSpec(
      '# a comment\nmodel:\n  layers: []\ndata:\n  target: y\n  source: r.csv\n  split: { seed: 42 }\nname: t\napiVersion: myelin/v1\ntrain: { epochs: 100 }\n',
      'b.yaml',
    );
    expect(b.hash).toBe(a.hash);
  });

  it('changes when a value changes', () => {
    const a = parseSpec(
      'apiVersion: myelin/v1\nname: t\ndata: { source: r.csv, target: y }\nmodel: { layers: [] }\n',
      'a.yaml',
    );
    const b = parseSpec(
      'apiVersion: myelin/v1\nname: t\ndata: { source: r.csv, target: z }\nmodel: { layers: [] }\n',
      'a.yaml',
    );
    expect(b.hash).not.toBe(a.hash);
  });
});
