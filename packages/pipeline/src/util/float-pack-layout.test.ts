import { describe, expect, it } from 'vitest';
import { packFloat32, unpackFloat32 } from './float-pack.js';
import { allocateFloatPack } from './float-pack-layout.js';

describe('allocateFloatPack', () => {
  it('lays out the same bytes as packFloat32, written in place', () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6]);
    const y = new Float32Array([0.5, -1]);
    const pack = allocateFloatPack({ x_train: [3, 2], y_train: [2, 1], e: [0, 4] });
    pack.arrays.x_train!.set(x);
    pack.arrays.y_train!.set(y);
    const same = packFloat32({
      x_train: { data: x, shape: [3, 2] },
      y_train: { data: y, shape: [2, 1] },
      e: { data: new Float32Array(0), shape: [0, 4] },
    });
    expect(Buffer.from(pack.bytes).equals(Buffer.from(same))).toBe(true);
    const back = unpackFloat32(pack.bytes);
    expect(Array.from(back.x_train!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back.e!.shape).toEqual([0, 4]);
  });
});
