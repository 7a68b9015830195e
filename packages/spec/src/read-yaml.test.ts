import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, MAX_SPEC_BYTES } from './limits.js';
import { MINIMAL, errorsOf } from './test-helpers.js';

describe('reading the YAML safely', () => {
  it('reports malformed YAML with file:line:col', () => {
    const [e, ...rest] = errorsOf('apiVersion: myelin/v1\ndata: { source: a.csv\nmodel: {}\n', 'bad.yaml');
    expect(e?.code).toBe('MYELIN_ERR_SPEC_YAML');
    expect(e?.line).toBeGreaterThanOrEqual(2);
    expect(e?.message).toMatch(/^bad\.yaml:\d+:\d+: /);
    expect(e?.detail).not.toMatch(/at line/);
    expect(rest.every((r) => r.code === 'MYELIN_ERR_SPEC_YAML')).toBe(true);
  });

  it('reports a duplicate key naming it', () => {
    const [e] = errorsOf(`${MINIMAL}train: { epochs: 3 }\ntrain: { epochs: 4 }\n`);
    expect(e).toMatchObject({ code: 'MYELIN_ERR_SPEC_YAML', line: 10, column: 1 });
    expect(e?.detail).toBe('duplicate key "train"; each key may appear once in a mapping');
  });

  it('refuses explicit tags, even !!str, naming the line, and never evaluates them', () => {
    const text = `${MINIMAL}description: !!str hello\ntrain:\n  epochs: !!js/function "function () { return 1 }"\n  seed: !custom 3\n`;
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['MYELIN_ERR_SPEC_TAG', 9],
      ['MYELIN_ERR_SPEC_TAG', 11],
      ['MYELIN_ERR_SPEC_TAG', 12],
    ]);
    expect(errors[0]?.detail).toMatch(/YAML tag !!str is not allowed/);
    expect(errors[1]?.detail).toMatch(/!!js\/function/);
  });

  it('refuses an alias bomb (billion laughs) before expanding it', () => {
    const bomb = `${MINIMAL}x1: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
x2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
x3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
x4: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
x5: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
x6: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
x7: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
x8: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
x9: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
`;
    const [e, ...rest] = errorsOf(bomb);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'MYELIN_ERR_SPEC_ALIAS', line: 10 });
    expect(e?.detail).toContain(`more than ${MAX_ALIAS_COUNT} expansions`);
  });

  it('refuses text over the size limit before parsing it', () => {
    const big = `${MINIMAL}description: "${'x'.repeat(MAX_SPEC_BYTES)}"\n`;
    const [e] = errorsOf(big, 'big.yaml');
    expect(e?.code).toBe('MYELIN_ERR_SPEC_TOO_LARGE');
    expect(e?.message).toMatch(/^big\.yaml: the file is \d+ bytes; the limit is 1048576 bytes/);
  });

  it('reports an empty file', () => {
    for (const text of ['', '   \n', '# only a comment\n']) {
      const [e] = errorsOf(text);
      expect(e?.code).toBe('MYELIN_ERR_SPEC_INVALID');
      expect(e?.detail).toMatch(/^the file is empty/);
    }
  });

  it('reports a top level that is not a mapping', () => {
    const [list] = errorsOf('- apiVersion: myelin/v1\n- name: x\n');
    expect(list).toMatchObject({ code: 'MYELIN_ERR_SPEC_INVALID', line: 1, column: 1 });
    expect(list?.detail).toMatch(/top level must be a mapping .* got a list/);
    const [scalar] = errorsOf('just words\n');
    expect(scalar?.detail).toMatch(/got "just words"/);
  });

  it('refuses a __proto__ key', () => {
    const [e] = errorsOf(`${MINIMAL}validate:\n  columns:\n    __proto__: { min: 1 }\n`);
    expect(e).toMatchObject({ code: 'MYELIN_ERR_SPEC_UNKNOWN_KEY', line: 11, column: 5 });
  });

  it('refuses several documents in one file', () => {
    const [e] = errorsOf(`${MINIMAL}---\nname: other\n`);
    expect(e?.code).toBe('MYELIN_ERR_SPEC_YAML');
  });
});
