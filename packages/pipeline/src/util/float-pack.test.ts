import { describe, expect, it } from 'vitest';
import { packFloat32, unpackFloat32 } from './float-pack.js';
import { readFloatPack } from './read-float-pack.js';

describe('float pack', () => {
  it('round-trips several named arrays with shapes', () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6]);
    const y = new Float32Array([0.5, -1.25]);
    const bytes = packFloat32({
      x: { data: x, shape: [3, 2] },
      y: { data: y, shape: [2, 1] },
      e: { data: new Float32Array(0), shape: [0, 4] },
    });
    const out = unpackFloat32(bytes);
    expect(Array.from(out.x!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out.x!.shape).toEqual([3, 2]);
    expect(Array.from(out.y!.data)).toEqual([0.5, -1.25]);
    expect(out.e!.data.length).toBe(0);
  });

  it('reads a pack that sits at an odd offset of a larger buffer', () => {
    const bytes = packFloat32({ a: { data: new Float32Array([7, 8]), shape: [2] } });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    expect(Array.from(unpackFloat32(big.subarray(3)).a!.data)).toEqual([7, 8]);
  });

  it('reads a pack held in a Node Buffer at an unaligned offset of a pool', () => {
    const bytes = packFloat32({ a: { data: new Float32Array([1.5, -2]), shape: [2] } });
    const pool = Buffer.alloc(bytes.length + 5);
    pool.set(bytes, 5);
    expect(Array.from(unpackFloat32(pool.subarray(5)).a!.data)).toEqual([1.5, -2]);
  });

  it('rejects bytes that are not a pack', () => {
    expect(() => unpackFloat32(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(/bad magic/);
  });
});

describe('readFloatPack', () => {
  const bytes = packFloat32({
    x: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] },
    t: { data: new Float32Array([9, 9]), shape: [2, 1] },
    y: { data: new Float32Array([0.5, -1.25]), shape: [2, 1] },
    e: { data: new Float32Array(0), shape: [0, 4] },
  });
  async function* chunked(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < b.length; at += size) yield b.slice(at, at + size);
  }

  it('reads only the arrays asked for, from chunks of any size', async () => {
    for (const size of [1, 3, 7, 64, bytes.length]) {
      const out = await readFloatPack(chunked(bytes, size), ['y', 'x', 'e'], 'pack');
      expect(Object.keys(out).sort()).toEqual(['e', 'x', 'y']);
      expect(Array.from(out.x!.data)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(out.x!.shape).toEqual([3, 2]);
      expect(Array.from(out.y!.data)).toEqual([0.5, -1.25]);
      expect(out.e!.data.length).toBe(0);
    }
  });

  it('names the pack when it is not one, is cut short or lacks an array', async () => {
    await expect(readFloatPack(chunked(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]), 4), ['x'], 'k1')).rejects.toThrow(/k1: .*bad magic/);
    await expect(readFloatPack(chunked(bytes.subarray(0, bytes.length - 4), 5), ['y'], 'k2')).rejects.toThrow(/k2: .*ends at byte/);
    await expect(readFloatPack(chunked(bytes, 8), ['z'], 'k3')).rejects.toThrow(/k3: .*no array z/);
  });
});
