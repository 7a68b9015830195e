import { MyelinError } from '@myelin/errors';

/** One float32 tensor of a safetensors file. */
export interface SafeTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A parsed safetensors file: its tensors in file order and its `__metadata__` strings. */
export interface SafetensorsFile {
  tensors: SafeTensor[];
  metadata: Record<string, string>;
}

/** The format's own bound on the header, against hostile files (safetensors' MAX_HEADER_SIZE). */
const MAX_HEADER_BYTES = 100_000_000;

const malformed = (detail: string): MyelinError =>
  new MyelinError('MYELIN_ERR_ARTIFACT_INTEGRITY', `not a valid safetensors file: ${detail}`);

/**
 * Writes tensors in the safetensors format (https://huggingface.co/docs/safetensors): an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype (`F32`), shape and byte
 * range, padded with spaces to a multiple of 8 bytes, then the little-endian data of every
 * tensor back to back, in the order given. `metadata` becomes the header's `__metadata__`
 * (string values only, as the format requires). PyTorch reads the result with
 * `safetensors.torch.load_file`.
 *
 * @example
 * const bytes = writeSafetensors([{ name: '0.weight', shape: [2, 3], data }], { format: 'pt' });
 */
export function writeSafetensors(
  tensors: readonly SafeTensor[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name in header)
      throw new MyelinError('MYELIN_ERR_TRAIN', `tensor name "${t.name}" is used twice or reserved`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      throw new MyelinError(
        'MYELIN_ERR_TRAIN',
        `tensor ${t.name} has shape [${t.shape.join(', ')}] but ${t.data.length} values`,
      );
    }
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + size * 4] };
    offset += size * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i]!, true);
  }
  return out;
}

/**
 * Reads a safetensors file holding float32 tensors. Checks what the format requires: a header
 * length within the file and the format's 100 MB bound, a JSON object header, string metadata,
 * known dtypes with shapes matching their byte ranges, and ranges that cover the data exactly
 * with no gap or overlap. Tensors come back in data order.
 *
 * @throws MYELIN_ERR_ARTIFACT_INTEGRITY naming what is wrong (never the file's content).
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw malformed(`${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8)))
    throw malformed(`header length ${n} runs past the file or the format's bound`);
  const headerEnd = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, headerEnd)));
  } catch {
    throw malformed('the header is not UTF-8 JSON');
  }
  if (!header || typeof header !== 'object' || Array.isArray(header))
    throw malformed('the header is not a JSON object');
  const dataLength = bytes.length - headerEnd;
  const metadata: Record<string, string> = {};
  const entries: { name: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!value || typeof value !== 'object' || Array.isArray(value))
        throw malformed('__metadata__ is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') throw malformed(`__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const t = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (t?.dtype !== 'F32')
      throw malformed(`tensor ${name} has dtype ${String(t?.dtype)}; Myelin models hold F32 only`);
    const shape = t.shape;
    const off = t.data_offsets;
    if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0))
      throw malformed(`tensor ${name} has no valid shape`);
    if (
      !Array.isArray(off) ||
      off.length !== 2 ||
      !off.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      off[0] > off[1]
    ) {
      throw malformed(`tensor ${name} has no valid data_offsets`);
    }
    const [begin, end] = off as [number, number];
    if (end > dataLength)
      throw malformed(`tensor ${name} ends at byte ${end}, past the ${dataLength} data bytes`);
    if (end - begin !== (shape as number[]).reduce((a, b) => a * b, 1) * 4)
      throw malformed(`tensor ${name}'s byte range does not match its shape`);
    entries.push({ name, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of entries) {
    if (e.begin !== expected)
      throw malformed(`the data has a gap or an overlap at byte ${expected} (tensor ${e.name})`);
    expected = e.end;
  }
  if (expected !== dataLength) throw malformed(`${dataLength - expected} data bytes belong to no tensor`);
  const tensors = entries.map((e) => {
    const data = new Float32Array((e.end - e.begin) / 4);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + headerEnd + e.begin, e.end - e.begin);
    for (let i = 0; i < data.length; i++) data[i] = dv.getFloat32(i * 4, true);
    return { name: e.name, shape: e.shape, data };
  });
  return { tensors, metadata };
}
