import { describe, expect, it } from 'vitest';
import { packFloat32, unpackFloat32 } from './float-pack.js';

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
