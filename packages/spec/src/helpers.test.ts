import { describe, expect, it } from 'vitest';
import { formatPath } from './format-path.js';
import { cronProblem } from './schema/cron.js';
import { parseDuration } from './schema/duration.js';
import { suggest } from '@myelin/data/config';

describe('formatPath', () => {
  it('uses dots, [index] and quoted keys', () => {
    expect(formatPath(['train', 'optimizer', 'learningRate'])).toBe('train.optimizer.learningRate');
    expect(formatPath(['model', 'layers', 0, 'dense'])).toBe('model.layers[0].dense');
    expect(formatPath(['validate', 'columns', 'Beak Length (mm)', 'min'])).toBe(
      'validate.columns["Beak Length (mm)"].min',
    );
    expect(formatPath(['validate', 'columns', 'a.b'])).toBe('validate.columns["a.b"]');
  });
});

describe('suggest', () => {
  it('suggests close keys only', () => {
    expect(suggest('epoch', ['epochs', 'seed'])).toBe('epochs');
    expect(suggest('learningrate', ['learningRate', 'name'])).toBe('learningRate');
    expect(suggest('zzz', ['epochs', 'seed'])).toBeUndefined();
  });
});

describe('cronProblem', () => {
  it('accepts five well-formed fields', () => {
    for (const ok of ['0 3 * * 1', '*/15 * * * *', '0 0 1,15 jan-jun mon-fri', '5 4 * * 7'])
      expect(cronProblem(ok)).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(cronProblem('0 3 * *')).toMatch(/5-field/);
    expect(cronProblem('61 * * * *')).toMatch(/minute/);
    expect(cronProblem('0 5-2 * * *')).toMatch(/backwards/);
    expect(cronProblem('0 0 * * */0')).toMatch(/step/);
  });
  it('refuses an expression that never fires, and one with a seconds field', () => {
    expect(cronProblem('0 0 30 2 *')).toMatch(/never fires \(no month it names has that day/);
    expect(cronProblem('0 0 31 4,6 *')).toMatch(/never fires/);
    expect(cronProblem('0 0 29 2 *')).toBeUndefined();
    expect(cronProblem('* * * * * *')).toMatch(/seconds field.*at most once a minute/);
  });
});

describe('parseDuration', () => {
  it('reads s, m, h, d', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration('0s')).toBeUndefined();
    expect(parseDuration('soon')).toBeUndefined();
  });
});
