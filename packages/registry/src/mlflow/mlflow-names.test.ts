import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planBatches } from './mlflow-batches.js';
import { KEYMAP_TAG, MlflowKeyMap, readKeyMap } from './mlflow-key-map.js';
import { MLFLOW_LIMITS } from './mlflow-limits.js';
import { codePoints, cutText, mlflowAliasProblem, toMlflowKey } from './mlflow-names.js';
import {
  aliasProblem,
  lengthProblem,
  nameProblem,
  normpath,
  paramProblem,
} from './test-fixtures/mlflow-validation.js';

/** Whether MLflow (the fake's transcription of validation.py) accepts `key` as a param, metric and tag name. */
function accepted(key: string): boolean {
  return (
    nameProblem('parameter', key) === null &&
    nameProblem('metric', key) === null &&
    nameProblem('tag', key) === null &&
    lengthProblem('Param key', MLFLOW_LIMITS.key, key) === null
  );
}

describe("MLflow's rules (the fake's transcription of mlflow/utils/validation.py)", () => {
  it('normpath is posixpath.normpath', () => {
    expect(
      ['', '.', 'a/b', 'a//b', 'a/./b', 'a/../b', '/a', '//a', '///a', '../a', 'a/', 'a/..', '..'].map(
        normpath,
      ),
    ).toEqual(['.', '.', 'a/b', 'a/b', 'a/b', 'b', '/a', '//a', '/a', '../a', 'a', '.', '..']);
  });

  it('refuses the penguins param with the message MLflow sends', () => {
    expect(paramProblem('validate.columns.Body Mass (g).max', '7000')).toBe(
      "Invalid parameter name: 'validate.columns.Body Mass (g).max'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).",
    );
    expect(nameProblem('metric', 'a//b')).toMatch(/This name would resolve to 'a\/b'$/);
    expect(nameProblem('tag', '')).toMatch(/resolve to '\.'/);
    expect(nameProblem('tag', '..x')).toMatch(/resolve to '\.\.x'/);
    expect(paramProblem('x'.repeat(251), '1')).toMatch(
      /^Param key 'x{250}' had length 251, which exceeded length limit of 250$/,
    );
    expect(paramProblem('a', 'é'.repeat(6001))).toMatch(/had length 6001/);
    expect(paramProblem('Adélie_ß.2', 'ok')).toBeNull();
    expect(aliasProblem('latest')).toMatch(/reserved/);
    expect(aliasProblem('v2')).toMatch(/reserved/);
    expect(aliasProblem('prod.eu')).toMatch(/Invalid alias name/);
    expect(aliasProblem('production')).toBeNull();
  });
});

describe('toMlflowKey', () => {
  it('changes only what MLflow refuses', () => {
    expect(toMlflowKey('validate.columns.Body Mass (g).max')).toBe('validate.columns.Body Mass _g_.max');
    expect(toMlflowKey('train.optimizer.learningRate')).toBe('train.optimizer.learningRate');
    expect(toMlflowKey('Adélie/ß-1 2')).toBe('Adélie/ß-1 2');
    expect(toMlflowKey('')).toBe('_');
    expect(toMlflowKey('/a//b/')).toBe('_/a/_/b/_');
    expect(toMlflowKey('a/./b/../c')).toBe('a/_/b/__/c');
    expect(toMlflowKey('..hidden')).toBe('_.hidden');
    expect(toMlflowKey('e\u0301')).toBe('e_'); // a combining mark is not \w in Python either
    const long = toMlflowKey('k'.repeat(400));
    expect(codePoints(long)).toBe(250);
    expect(long).toMatch(/^k{241}-[0-9a-f]{8}$/);
    expect(toMlflowKey('k'.repeat(400))).not.toBe(toMlflowKey(`${'k'.repeat(399)}j`));
  });

  it('gives a name MLflow accepts for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (name) => accepted(toMlflowKey(name))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '.', '/', '(', ' ', '-', '_', '..', '//'), { maxLength: 40 }),
        (parts) => accepted(toMlflowKey(parts.join(''))),
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps every name MLflow accepts as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (name) => {
        if (accepted(name)) expect(toMlflowKey(name)).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it('cutText cuts by characters, never inside a surrogate pair, and marks the cut', () => {
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(cutText('abc', 3)).toBe('abc');
    const emoji = '😀'.repeat(10);
    expect(cutText(emoji, 10)).toBe(emoji); // 20 UTF-16 units, 10 characters
    expect(cutText(emoji, 5)).toBe(`${'😀'.repeat(4)}…`);
  });

  it('mlflowAliasProblem names the Myelin aliases MLflow cannot hold', () => {
    expect(mlflowAliasProblem('production')).toBeNull();
    expect(mlflowAliasProblem('latest')).toMatch(/reserves/);
    expect(mlflowAliasProblem('v3')).toMatch(/reserves/);
    expect(mlflowAliasProblem('prod.eu')).toMatch(/letters, digits/);
  });
});

describe('MlflowKeyMap', () => {
  it('keeps distinct names distinct whatever their order, and records the renamed ones', () => {
    const names = ['a(b', 'a)b', 'a_b', 'plain', 'validate.columns.Body Mass (g).max'];
    const one = new MlflowKeyMap(names);
    const two = new MlflowKeyMap([...names].reverse());
    const keys = names.map((n) => one.key(n));
    expect(new Set(keys).size).toBe(names.length);
    expect(names.map((n) => two.key(n))).toEqual(keys);
    expect(one.key('a_b')).toBe('a_b');
    expect(one.key('plain')).toBe('plain');
    expect(one.key('a(b')).toMatch(/^a_b-[0-9a-f]{8}$/);
    const back = readKeyMap(one.tags());
    for (const n of names) expect(back.get(one.key(n)) ?? one.key(n)).toBe(n);
    expect(one.tags().map((t) => t.key)).toEqual([KEYMAP_TAG]);
  });

  it('splits a long record over several tags MLflow accepts, and reads them back', () => {
    const names = Array.from({ length: 400 }, (_, i) => `validate.columns.Column (${i}) [units].max`);
    const map = new MlflowKeyMap(names);
    const tags = map.tags();
    expect(tags.length).toBeGreaterThan(1);
    for (const t of tags) {
      expect(t.key).toMatch(/^myelin\.keymap\.\d+$/);
      expect(accepted(t.key)).toBe(true);
      expect(codePoints(t.value)).toBeLessThanOrEqual(MLFLOW_LIMITS.tagValue);
    }
    const back = readKeyMap(tags);
    for (const n of names) expect(back.get(map.key(n))).toBe(n);
  });

  it('nothing renamed: no tag', () => {
    expect(new MlflowKeyMap(['a', 'b.c']).tags()).toEqual([]);
  });
});

describe('planBatches', () => {
  const params = (n: number, value = 'v') => Array.from({ length: n }, (_, i) => ({ key: `p${i}`, value }));
  const metrics = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ key: 'loss', value: i, timestamp: i, step: i }));

  it('keeps every batch inside the limits, with room for the progress tag', () => {
    const batches = planBatches({ params: params(250), metrics: metrics(2500), tags: params(150) });
    for (const b of batches) {
      expect(b.params.length).toBeLessThanOrEqual(100);
      expect(b.tags.length).toBeLessThanOrEqual(99);
      expect(b.metrics.length).toBeLessThanOrEqual(1000);
      expect(b.params.length + b.metrics.length + b.tags.length).toBeLessThanOrEqual(999);
      expect(Buffer.byteLength(JSON.stringify({ run_id: 'x'.repeat(32), ...b }))).toBeLessThan(1_000_000);
    }
    expect(batches.flatMap((b) => b.params)).toHaveLength(250);
    expect(batches.flatMap((b) => b.metrics)).toHaveLength(2500);
    expect(batches.flatMap((b) => b.tags)).toHaveLength(150);
  });

  it('splits by size: 100 params of 6,000 multi-byte characters do not fit one megabyte', () => {
    const batches = planBatches({ params: params(100, 'é'.repeat(6000)), metrics: [], tags: [] });
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThan(1_000_000);
  });

  it('a small run is one request', () => {
    expect(planBatches({ params: params(60), metrics: metrics(600), tags: [] })).toHaveLength(1);
  });
});
