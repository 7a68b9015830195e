import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveSource } from './resolve-source.js';

const root = mkdtempSync(join(tmpdir(), 'myelin-resolve-'));
const base = join(root, 'pipeline');
mkdirSync(join(base, 'data'), { recursive: true });
writeFileSync(join(base, 'data', 'a.csv'), 'x\n1\n');
writeFileSync(join(root, 'outside.csv'), 'x\n1\n');
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe('resolveSource', () => {
  it('resolves a relative path and takes the format from the extension', () => {
    const s = resolveSource('data/a.csv', { baseDir: base });
    expect(s).toEqual({ path: join(base, 'data', 'a.csv'), format: 'csv', display: 'data/a.csv' });
  });

  it('accepts file:// URLs and absolute paths inside the folder', () => {
    expect(resolveSource(pathToFileURL(join(base, 'data', 'a.csv')).href, { baseDir: base }).path).toBe(
      join(base, 'data', 'a.csv'),
    );
    expect(resolveSource(join(base, 'data', 'a.csv'), { baseDir: base }).format).toBe('csv');
  });

  it('rejects a path outside the folder and names the flag', () => {
    expect(() => resolveSource('../outside.csv', { baseDir: base })).toThrowError(
      expect.objectContaining({
        code: 'MYELIN_ERR_DATA_PATH_OUTSIDE',
        message: expect.stringMatching(/outside\.csv.*--allow-outside-data/),
      }),
    );
  });

  it('allows a path outside the folder with allowOutside', () => {
    expect(resolveSource('../outside.csv', { baseDir: base, allowOutside: true }).path).toBe(
      join(root, 'outside.csv'),
    );
  });

  it('rejects a symlink inside the folder that points outside', () => {
    symlinkSync(join(root, 'outside.csv'), join(base, 'link.csv'));
    expect(() => resolveSource('link.csv', { baseDir: base })).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_DATA_PATH_OUTSIDE' }),
    );
  });

  it('resolves npm:<package>/<file> from the folder', () => {
    const s = resolveSource('npm:vega-datasets/data/penguins.json', { baseDir: join(repoRoot, 'examples') });
    expect(s.path).toBe(join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'penguins.json'));
    expect(s).toMatchObject({ format: 'json', display: 'npm:vega-datasets/data/penguins.json' });
  });

  it('refuses npm: paths that leave the package and unknown packages', () => {
    expect(() => resolveSource('npm:vega-datasets/../../package.json', { baseDir: repoRoot })).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_DATA_PATH_OUTSIDE' }),
    );
    expect(() => resolveSource('npm:no-such-package-xyz/a.csv', { baseDir: repoRoot })).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_DATA_READ' }),
    );
  });

  it('says s3:// is not supported yet', () => {
    expect(() => resolveSource('s3://bucket/key.csv', { baseDir: base })).toThrowError(
      expect.objectContaining({
        code: 'MYELIN_ERR_DATA_READ',
        message: expect.stringContaining('artifact-store URLs are not supported yet'),
      }),
    );
  });

  it('rejects an unknown extension unless the format is given', () => {
    expect(() => resolveSource('data/a.xlsx', { baseDir: base })).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_DATA_FORMAT' }),
    );
    expect(resolveSource('data/a.txt', { baseDir: base, format: 'csv' }).format).toBe('csv');
    expect(resolveSource('data/a.tsv', { baseDir: base }).delimiter).toBe('\t');
    expect(resolveSource('data/a.ndjson', { baseDir: base }).format).toBe('jsonl');
  });
});
