import type { Cell } from '../types.js';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** murmur3's 32-bit finaliser. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Two independent 32-bit hashes of a cell, written to `out[0]` and `out[1]`. Numbers, strings and
 * booleans of equal text hash differently (1 ≠ "1"), as they are different values.
 */
export function hashCell(v: Cell, out: Uint32Array): void {
  if (typeof v === 'number') {
    F64[0] = v === 0 ? 0 : v; // -0 → 0
    const a = U32[0] as number;
    const b = U32[1] as number;
    out[0] = fmix32(a ^ Math.imul(b, 0x9e3779b1) ^ 0x1234567);
    out[1] = fmix32(b ^ Math.imul(a, 0x85ebca77) ^ 0x7654321);
  } else if (typeof v === 'string') {
    let h1 = 0x811c9dc5;
    let h2 = 0x3c6ef372 ^ v.length;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    out[0] = fmix32(h1);
    out[1] = fmix32(h2 ^ 0x2545f491);
  } else if (typeof v === 'boolean') {
    out[0] = v ? 0x1b873593 : 0xcc9e2d51;
    out[1] = v ? 0xe6546b64 : 0x85ebca6b;
  } else {
    out[0] = 0x27d4eb2f;
    out[1] = 0x165667b1;
  }
}
