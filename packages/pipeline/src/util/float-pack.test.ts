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

  /** A pack with the given header text and `values` floats of body. */
  const withHeader = (header: string, values: number): Uint8Array => {
    const json = new TextEncoder().encode(header);
    const out = new Uint8Array(8 + json.length + 4 * values);
    out.set(packFloat32({}).subarray(0, 4));
    new DataView(out.buffer).setUint32(4, json.length, true);
    out.set(json, 8);
    return out;
  };

  it('rejects a header that is not JSON, or that is off, naming the field', () => {
    expect(() => unpackFloat32(withHeader('{', 0))).toThrow('float pack: the header is not JSON');
    expect(() =>
      unpackFloat32(withHeader('{"arrays":[{"name":"a","shape":[2],"offset":"0","length":2}]}', 2)),
    ).toThrow(/header arrays\[0\]\.offset/);
    expect(() =>
      unpackFloat32(withHeader('{"arrays":[{"name":"a","shape":[4],"offset":0,"length":4}]}', 2)),
    ).toThrow('float pack: header arrays[0] (a) ends at value 4, the body holds 2');
  });

  it('rejects bytes that are not a pack', () => {
    expect(() => unpackFloat32(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(/bad magic/);
  });
});
