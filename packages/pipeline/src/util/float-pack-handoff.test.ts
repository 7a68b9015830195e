import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsArtifactStore } from '@myelin/artifacts';
import { floatPackBytes, keepFloatPack } from './float-pack-handoff.js';
import { packFloat32, unpackFloat32 } from './float-pack.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(): FsArtifactStore {
  const dir = mkdtempSync(join(tmpdir(), 'myelin-handoff-'));
  dirs.push(dir);
  return new FsArtifactStore({ root: dir });
}

describe('floatPackBytes', () => {
  it('gives the bytes kept for a key (no second copy) and reads any other key from the store', async () => {
    const s = store();
    const kept = packFloat32({ x: { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] } });
    const { key } = await s.put(kept);
    keepFloatPack(key, kept);
    expect(await floatPackBytes(s, key)).toBe(kept);

    const other = packFloat32({ y: { data: new Float32Array([5, 6]), shape: [2, 1] } });
    const put = await s.put(other);
    const read = await floatPackBytes(s, put.key);
    expect(read).not.toBe(other);
    expect(Array.from(unpackFloat32(read).y!.data)).toEqual([5, 6]);
  });
});
