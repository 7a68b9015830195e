import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MyelinError } from '@myelin/errors';
import { describe, expect, it } from 'vitest';
import { MAX_SPEC_BYTES } from './limits.js';
import { loadSpecFile } from './load-spec-file.js';
import { MINIMAL } from './test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-spec-'));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MyelinError) return error.code;
    throw error;
  }
  throw new Error('expected a MyelinError');
}

describe('loadSpecFile', () => {
  it('reads and parses a file, giving its absolute path and folder', async () => {
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, `\uFEFF${MINIMAL}`);
    const loaded = await loadSpecFile(file);
    expect(loaded.file).toBe(file);
    expect(loaded.dir).toBe(dir);
    expect(loaded.spec.name).toBe('tiny');
  });

  it('reports a missing file or a folder as MYELIN_ERR_SPEC_READ', async () => {
    expect(await codeOf(loadSpecFile(join(dir, 'nope.yaml')))).toBe('MYELIN_ERR_SPEC_READ');
    expect(await codeOf(loadSpecFile(dir))).toBe('MYELIN_ERR_SPEC_READ');
  });

  it('refuses a file over the size limit', async () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, Buffer.alloc(MAX_SPEC_BYTES + 1, 0x20));
    expect(await codeOf(loadSpecFile(file))).toBe('MYELIN_ERR_SPEC_TOO_LARGE');
  });

  it('refuses a file that is not UTF-8 text', async () => {
    const file = join(dir, 'binary.yaml');
    writeFileSync(file, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(await codeOf(loadSpecFile(file))).toBe('MYELIN_ERR_SPEC_READ');
  });
});
