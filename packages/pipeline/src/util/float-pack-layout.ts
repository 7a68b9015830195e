/**
 * Allocates a float32 pack (the format of `packFloat32`, read by `unpackFloat32`) for arrays of
 * the given shapes and returns it with a zeroed Float32Array view per array into its body, so a
 * step can write its matrices straight into the artifact's bytes instead of building them first
 * and copying them in.
 *
 * @example
 * const pack = allocateFloatPack({ x: [n, d] });
 * pack.arrays.x.set(row, 0);
 * await store.put(pack.bytes);
 */
export function allocateFloatPack(shapes: Record<string, number[]>): {
  bytes: Uint8Array;
  arrays: Record<string, Float32Array>;
} {
  const entries = Object.entries(shapes);
  let offset = 0;
  const header = {
    arrays: entries.map(([name, shape]) => {
      const length = shape.reduce((a, b) => a * b, 1);
      const e = { name, shape, offset, length };
      offset += length;
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
  const bytes = new Uint8Array(start + offset * 4);
  bytes.set([0x4d, 0x59, 0x46, 0x31], 0); // MYF1
  new DataView(bytes.buffer).setUint32(4, headerBytes.length, true);
  bytes.set(headerBytes, 8);
  const floats = new Float32Array(bytes.buffer, start, offset);
  const arrays: Record<string, Float32Array> = {};
  for (const e of header.arrays) arrays[e.name] = floats.subarray(e.offset, e.offset + e.length);
  return { bytes, arrays };
}
