/**
 * A small binary container for named Float32 arrays, used to pass encoded datasets between
 * steps as one artifact: `MYF1` magic, a uint32 header length, a JSON header
 * `{ arrays: [{ name, shape, offset, length }] }`, then the float32 data (little-endian, 4-byte aligned).
 *
 * @example
 * const bytes = packFloat32({ x: { data, shape: [n, d] } });
 * const { x } = unpackFloat32(bytes);
 */
export interface NamedArray {
  data: Float32Array;
  shape: number[];
}

const MAGIC = [0x4d, 0x59, 0x46, 0x31]; // MYF1

export function packFloat32(arrays: Record<string, NamedArray>): Uint8Array {
  const entries = Object.entries(arrays);
  let offset = 0;
  const header = {
    arrays: entries.map(([name, a]) => {
      const e = { name, shape: a.shape, offset, length: a.data.length };
      offset += a.data.length;
      return e;
    }),
  };
  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const pad = (4 - ((8 + headerBytes.length) % 4)) % 4;
  if (pad) {
    const padded = new Uint8Array(headerBytes.length + pad).fill(0x20);
    padded.set(headerBytes);
    headerBytes = padded;
  }
  const start = 8 + headerBytes.length;
  const out = new Uint8Array(start + offset * 4);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  const floats = new Float32Array(out.buffer, start, offset);
  for (const [i, [, a]] of entries.entries()) floats.set(a.data, header.arrays[i]!.offset);
  return out;
}

export function unpackFloat32(bytes: Uint8Array): Record<string, NamedArray> {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('not a Myelin float32 pack (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as {
    arrays: { name: string; shape: number[]; offset: number; length: number }[];
  };
  const start = 8 + headerLen;
  // a view when the body is 4-byte aligned (a whole file read: no second copy of a large pack);
  // else a copy into an aligned buffer (the input may be a view at any offset; Uint8Array's slice
  // always copies, a Node Buffer's own slice would not)
  const aligned = (bytes.byteOffset + start) % 4 === 0;
  const body = aligned ? bytes.subarray(start) : Uint8Array.prototype.slice.call(bytes, start);
  const floats = new Float32Array(body.buffer, body.byteOffset, Math.floor(body.byteLength / 4));
  const out: Record<string, NamedArray> = {};
  for (const a of header.arrays)
    out[a.name] = { data: floats.subarray(a.offset, a.offset + a.length), shape: a.shape };
  return out;
}
