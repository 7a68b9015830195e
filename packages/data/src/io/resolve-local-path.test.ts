import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveLocalPath } from './resolve-local-path.js';

const root = mkdtempSync(join(tmpdir(), 'myelin-localpath-'));
const base = join(root, 'pipes');
mkdirSync(join(base, 'sub'), { recursive: true });
writeFileSync(join(base, 'sub', 'schema.json'), '{}');
writeFileSync(join(root, 'secret.json'), '{"aws_secret_access_key":"x"}');
symlinkSync(join(root, 'secret.json'), join(base, 'link.json'));
symlinkSync('/proc/self/environ', join(base, 'env.json'));
execFileSync('mkfifo', [join(base, 'fifo.json')]);
const field = 'validate.schema';

describe('resolveLocalPath: the folder rule of every path a pipeline file names', () => {
  it('resolves relative paths, absolute paths and file:// URLs inside the folder', () => {
    expect(resolveLocalPath('sub/schema.json', { baseDir: base, field })).toBe(
      join(base, 'sub', 'schema.json'),
    );
    expect(resolveLocalPath(join(base, 'sub', 'schema.json'), { baseDir: base, field })).toBe(
      join(base, 'sub', 'schema.json'),
    );
    expect(
      resolveLocalPath(pathToFileURL(join(base, 'sub', 'schema.json')).href, { baseDir: base, field }),
    ).toBe(join(base, 'sub', 'schema.json'));
    // a missing file is the reader's business, not the resolver's
    expect(resolveLocalPath('sub/none.json', { baseDir: base, field })).toBe(join(base, 'sub', 'none.json'));
  });

  it.each([
    ['an absolute path elsewhere', '/etc/passwd'],
    ['a climb out of the folder', '../secret.json'],
    ['a file:// URL elsewhere', 'file:///etc/passwd'],
    ['a symlink inside pointing outside', 'link.json'],
  ])('refuses %s, naming the field', (_what, raw) => {
    expect(() => resolveLocalPath(raw, { baseDir: base, field })).toThrowError(
      expect.objectContaining({
        code: 'MYELIN_ERR_DATA_PATH_OUTSIDE',
        location: { path: field },
        message: expect.stringMatching(/^validate\.schema: .*outside the pipeline folder/),
      }),
    );
  });

  it('refuses /proc, /sys and /dev even with allowOutside, and through a symlink', () => {
    for (const raw of ['/proc/self/environ', '/dev/zero', '/sys/kernel/mm', 'env.json']) {
      expect(() => resolveLocalPath(raw, { baseDir: base, field, allowOutside: true })).toThrowError(
        expect.objectContaining({
          code: 'MYELIN_ERR_DATA_PATH_OUTSIDE',
          message: expect.stringMatching(/system path/),
        }),
      );
    }
  });

  it('refuses a FIFO or a folder inside the folder: only regular files', () => {
    expect(() => resolveLocalPath('fifo.json', { baseDir: base, field })).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_DATA_READ', message: expect.stringMatching(/a FIFO/) }),
    );
    expect(() => resolveLocalPath('sub', { baseDir: base, field })).toThrowError(
      expect.objectContaining({ code: 'MYELIN_ERR_DATA_READ', message: expect.stringMatching(/a folder/) }),
    );
  });

  it('accepts a path outside with allowOutside (the CLI flag)', () => {
    expect(resolveLocalPath('../secret.json', { baseDir: base, field, allowOutside: true })).toBe(
      join(root, 'secret.json'),
    );
  });
});
