import { describe, expect, it } from 'vitest';
import { applyOverrides, mapLineBack } from './apply-overrides.js';
import { parseOverridePath } from './override-path.js';

const text = `name: p
train:
  epochs: 100
  optimizer: { name: adam, learningRate: 0.005 }
  earlyStopping:
    patience: 5
model:
  layers:
    - dense: { units: 32 }
    - dropout: { rate: 0.1 }
evaluate:
`;

describe('applyOverrides', () => {
  it('replaces existing values in place, keeping every other line where it was', () => {
    const r = applyOverrides(text, {
      'train.epochs': 5,
      'model.layers[1].dropout.rate': 0.2,
      'train.optimizer.name': 'sgd',
    });
    expect(r.text).toBe(
      text
        .replace('epochs: 100', 'epochs: 5')
        .replace('rate: 0.1', 'rate: 0.2')
        .replace('name: adam', 'name: "sgd"'),
    );
    expect(r.edits.map((e) => [e.path, e.startLine, e.oldLines, e.newLines])).toEqual([
      ['train.epochs', 3, 1, 1],
      ['model.layers[1].dropout.rate', 10, 1, 1],
      ['train.optimizer.name', 4, 1, 1],
    ]);
  });

  it('adds missing keys to block and flow mappings, and nests missing sections', () => {
    const r = applyOverrides(text, {
      'train.batchSize': 8,
      'train.optimizer.beta1': 0.8,
      'register.model': 'm',
      'evaluate.gates': { accuracy: { min: 0.9 } },
    });
    expect(r.text).toContain('  earlyStopping:\n    patience: 5\n  batchSize: 8\n');
    expect(r.text).toContain('optimizer: { name: adam, learningRate: 0.005, beta1: 0.8 }');
    expect(r.text).toContain('register: {"model":"m"}');
    expect(r.text).toContain('evaluate: {"gates":{"accuracy":{"min":0.9}}}');
  });

  it('replaces a whole block section with one line and maps later lines back', () => {
    const r = applyOverrides(text, { 'train.earlyStopping': { patience: 2 } });
    expect(r.text).toContain('  earlyStopping:\n    {"patience":2}\nmodel:');
    const edits = applyOverrides(text, { 'model.layers': [{ dense: { units: 4 } }] }).edits;
    // layers spanned lines 9-10; after the edit `evaluate:` (line 11) is on line 10
    expect(edits[0]).toMatchObject({ startLine: 9, oldLines: 2, newLines: 1 });
    expect(mapLineBack(10, edits)).toBe(11);
    expect(mapLineBack(3, edits)).toBe(3);
  });

  it('refuses paths through values that are not mappings, and list items that do not exist', () => {
    expect(() => applyOverrides(text, { 'name.first': 'x', 'model.layers.7': {} })).toThrow(
      /override "name.first" cannot be set: name holds a string, not a mapping\n.*model.layers has 2 item\(s\), so \[7\] does not exist/,
    );
  });

  it('leaves text that is not a YAML mapping to the spec parser', () => {
    expect(applyOverrides('a: [', { 'a.b': 1 }).text).toBe('a: [');
  });
});

describe('parseOverridePath', () => {
  it('reads dots, list indexes and quoted keys', () => {
    expect(parseOverridePath('validate.columns["Body Mass (g)"].min')).toEqual([
      'validate',
      'columns',
      'Body Mass (g)',
      'min',
    ]);
    expect(parseOverridePath('model.layers.0.dense.units')).toEqual(['model', 'layers', 0, 'dense', 'units']);
    expect(parseOverridePath('model.layers[0]')).toEqual(['model', 'layers', 0]);
  });

  it('refuses empty segments, unclosed brackets and prototype keys', () => {
    for (const bad of ['', 'a..b', 'a.', 'a[0', 'a[x]', '__proto__.x', 'a.constructor']) {
      expect(() => parseOverridePath(bad), bad).toThrow(/is not a field path/);
    }
  });
});
