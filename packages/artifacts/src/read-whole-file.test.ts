import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readWholeFile } from './read-whole-file.js';

describe('readWholeFile', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fileWith = (bytes: Uint8Array): string => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-read-whole-'));
    dirs.push(dir);
    const path = join(dir, 'f');
    writeFileSync(path, bytes);
    return path;
  };

  it('reads every byte, in several requests when the file is larger than one', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);
    const fh = await open(fileWith(bytes), 'r');
    try {
      expect(new Uint8Array(await readWholeFile(fh, bytes.length, 64))).toEqual(bytes);
    } finally {
      await fh.close();
    }
  });

  it('reads an empty file', async () => {
    const fh = await open(fileWith(new Uint8Array(0)), 'r');
    try {
      expect((await readWholeFile(fh, 0)).length).toBe(0);
    } finally {
      await fh.close();
    }
  });

  it('fails when the file holds fewer bytes than its size said', async () => {
    const fh = await open(fileWith(new Uint8Array(10)), 'r');
    try {
      await expect(readWholeFile(fh, 20)).rejects.toThrow(/ended after 10 of its 20 bytes/);
    } finally {
      await fh.close();
    }
  });
});
