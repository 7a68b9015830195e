import * as z from 'zod';
import { allocateFloatPack } from './float-pack-layout.js';
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
  const pack = allocateFloatPack(
    Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, a.shape])),
  );
  for (const [name, a] of Object.entries(arrays)) {
    const into = pack.arrays[name]!;
    if (into.length !== a.data.length)
      throw new Error(`float pack: ${name} has shape [${a.shape.join(', ')}] but ${a.data.length} values`);
    into.set(a.data);
  }
  return pack.bytes;
}

export function unpackFloat32(bytes: Uint8Array): Record<string, NamedArray> {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error('not a Myelin float32 pack (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(4, true);
  const header = readHeader(bytes.subarray(8, 8 + headerLen));
  const start = 8 + headerLen;
  // a view when the body is 4-byte aligned (a whole file read: no second copy of a large pack);
  // else a copy into an aligned buffer (the input may be a view at any offset; Uint8Array's slice
  // always copies, a Node Buffer's own slice would not)
  const aligned = (bytes.byteOffset + start) % 4 === 0;
  const body = aligned ? bytes.subarray(start) : Uint8Array.prototype.slice.call(bytes, start);
  const floats = new Float32Array(body.buffer, body.byteOffset, Math.floor(body.byteLength / 4));
  const out: Record<string, NamedArray> = {};
  header.arrays.forEach((a, i) => {
    if (a.offset + a.length > floats.length)
      throw new Error(
        `float pack: header arrays[${i}] (${a.name}) ends at value ${a.offset + a.length}, the body holds ${floats.length}`,
      );
    out[a.name] = { data: floats.subarray(a.offset, a.offset + a.length), shape: a.shape };
  });
  return out;
}

const count = z.number().int().nonnegative();
const headerSchema = z.object({
  arrays: z.array(z.object({ name: z.string(), shape: z.array(count), offset: count, length: count })),
});

/** The pack's JSON header, checked: an error names the field (`arrays[1].offset`). */
function readHeader(json: Uint8Array): z.output<typeof headerSchema> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(json));
  } catch {
    throw new Error('float pack: the header is not JSON');
  }
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = (issue?.path ?? []).map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    throw new Error(
      `float pack: header ${at.replace(/^\./, '') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
