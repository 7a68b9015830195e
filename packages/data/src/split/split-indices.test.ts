import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { allocateCounts, seededShuffle, splitIndices } from './index.js';

const opts = { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: false };

function expectPartition(r: { train: number[]; validation: number[]; test: number[] }, n: number): void {
  const all = [...r.train, ...r.validation, ...r.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  for (const part of [r.train, r.validation, r.test]) {
    expect(part).toEqual([...part].sort((a, b) => a - b));
  }
}

describe('allocateCounts', () => {
  it('uses largest remainders and always sums to m', () => {
    expect(allocateCounts(10, [0.7, 0.15, 0.15])).toEqual([7, 2, 1]);
    expect(allocateCounts(100, [0.7, 0.15, 0.15])).toEqual([70, 15, 15]);
    expect(allocateCounts(3, [0.34, 0.33, 0.33])).toEqual([1, 1, 1]);
    for (let m = 0; m < 60; m++) {
      const c = allocateCounts(m, [0.7, 0.15, 0.15]);
      expect(c[0] + c[1] + c[2]).toBe(m);
    }
  });
  it('gives a lone item to train', () => {
    expect(allocateCounts(1, [0.1, 0.45, 0.45])).toEqual([1, 0, 0]);
    expect(allocateCounts(2, [0.2, 0.4, 0.4])).toEqual([1, 1, 0]);
  });
  it('never gives items to a split with fraction 0', () => {
    expect(allocateCounts(7, [0.5, 0.5, 0])).toEqual([4, 3, 0]);
  });
});

describe('seededShuffle', () => {
  it('is a deterministic permutation that leaves the input alone', () => {
    const input = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const a = seededShuffle(input, 7);
    expect(seededShuffle(input, 7)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(input);
    expect(input).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seededShuffle(input, 8)).not.toEqual(a);
  });
  it('rejects a non-integer seed', () => {
    expect(() => seededShuffle([1], 1.5)).toThrow(MyelinError);
  });
});

describe('splitIndices', () => {
  it('partitions 0..n-1 with the allocated sizes, sorted', () => {
    const r = splitIndices({ n: 100 }, opts);
    expectPartition(r, 100);
    expect([r.train.length, r.validation.length, r.test.length]).toEqual([70, 15, 15]);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const a = splitIndices({ n: 50 }, opts);
    expect(splitIndices({ n: 50 }, opts)).toEqual(a);
    expect(splitIndices({ n: 50 }, { ...opts, seed: 43 })).not.toEqual(a);
  });

  it('splits each class in proportion when stratified', () => {
    const labels = [...Array(60).fill('Adelie'), ...Array(30).fill('Gentoo'), ...Array(10).fill('Chinstrap')];
    const r = splitIndices({ n: 100, labels }, { ...opts, stratify: true });
    expectPartition(r, 100);
    const count = (idx: number[], l: string): number => idx.filter((i) => labels[i] === l).length;
    expect([count(r.train, 'Adelie'), count(r.validation, 'Adelie'), count(r.test, 'Adelie')]).toEqual([42, 9, 9]);
    expect([count(r.train, 'Gentoo'), count(r.validation, 'Gentoo'), count(r.test, 'Gentoo')]).toEqual([21, 5, 4]);
    expect([count(r.train, 'Chinstrap'), count(r.validation, 'Chinstrap'), count(r.test, 'Chinstrap')]).toEqual([
      7, 2, 1,
    ]);
  });

  it('keeps tiny classes (and null labels) in train', () => {
    const labels: (string | null)[] = [...Array(20).fill('a'), 'rare', null];
    const r = splitIndices({ n: 22, labels }, { train: 0.5, validation: 0.25, test: 0.25, seed: 1, stratify: true });
    expectPartition(r, 22);
    expect(r.train).toContain(20);
    expect(r.train).toContain(21);
  });

  it('treats 1, "1" and true as different classes', () => {
    const labels = [1, '1', true, 1, '1', true];
    const r = splitIndices({ n: 6, labels }, { train: 0.5, validation: 0.5, test: 0, seed: 3, stratify: true });
    expect(r.train.map((i) => labels[i]).sort()).toEqual([1, '1', true].sort());
  });

  it('ignores labels when stratify is false', () => {
    const labels = Array.from({ length: 40 }, (_, i) => i % 2);
    expect(splitIndices({ n: 40, labels }, opts)).toEqual(splitIndices({ n: 40 }, opts));
  });

  it('handles n = 0', () => {
    expect(splitIndices({ n: 0 }, opts)).toEqual({ train: [], validation: [], test: [] });
  });

  it('rejects fractions that do not sum to 1, naming the field', () => {
    expect(() => splitIndices({ n: 10 }, { ...opts, test: 0.3 })).toThrow(/data\.split/);
    expect(() => splitIndices({ n: 10 }, { ...opts, train: -0.1, test: 0.95 })).toThrow(/data\.split\.train/);
  });

  it('rejects a label array of the wrong length', () => {
    expect(() => splitIndices({ n: 3, labels: [1, 2] }, { ...opts, stratify: true })).toThrow(MyelinError);
  });
});
