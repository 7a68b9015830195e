import { MyelinError } from '@myelin/errors';
import type { CheckpointState } from './checkpoint-state.js';

const MAGIC = [0x4d, 0x59, 0x43, 0x4b]; // "MYCK"
const CODEC_VERSION = 1;
const PREFIX_BYTES = 12;

interface ArrayRef {
  $f32: [offset: number, length: number];
}
interface NumberRef {
  $num: 'NaN' | 'Infinity' | '-Infinity';
}

function corrupt(detail: string, cause?: unknown): MyelinError {
  return new MyelinError('MYELIN_ERR_ARTIFACT_INTEGRITY', `checkpoint is malformed: ${detail}`, undefined, {
    cause,
  });
}

/**
 * Encodes a checkpoint as compact bytes:
 *
 * | bytes | content |
 * | --- | --- |
 * | 0–3 | magic `MYCK` |
 * | 4–7 | codec version, uint32 little-endian (1) |
 * | 8–11 | header length H, uint32 little-endian |
 * | 12 … 12+H | UTF-8 JSON of the state, each `Float32Array` replaced by `{"$f32": [offset, length]}` (in floats) and each non-finite number by `{"$num": "NaN"}` |
 * | padding | zeros up to a multiple of 4 |
 * | rest | every array's values, float32 little-endian, back to back |
 *
 * @example
 * const bytes = serializeCheckpoint(state); const again = deserializeCheckpoint(bytes);
 */
export function serializeCheckpoint(state: CheckpointState): Uint8Array {
  const arrays: Float32Array[] = [];
  let floats = 0;
  const header = JSON.stringify(state, (_key, value: unknown) => {
    if (value instanceof Float32Array) {
      const ref: ArrayRef = { $f32: [floats, value.length] };
      arrays.push(value);
      floats += value.length;
      return ref;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return { $num: String(value) } as NumberRef;
    }
    return value;
  });
  const headerBytes = new TextEncoder().encode(header);
  const payloadStart = PREFIX_BYTES + Math.ceil(headerBytes.byteLength / 4) * 4;
  const out = new Uint8Array(payloadStart + floats * 4);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, CODEC_VERSION, true);
  view.setUint32(8, headerBytes.byteLength, true);
  out.set(headerBytes, PREFIX_BYTES);
  let pos = payloadStart;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++, pos += 4) view.setFloat32(pos, a[i] as number, true);
  }
  return out;
}

/**
 * Decodes bytes written by `serializeCheckpoint`. Throws `MYELIN_ERR_ARTIFACT_INTEGRITY` when
 * the bytes are not a checkpoint of a known version or are cut short.
 */
export function deserializeCheckpoint(bytes: Uint8Array): CheckpointState {
  if (bytes.byteLength < PREFIX_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw corrupt('it does not start with the MYCK magic');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== CODEC_VERSION)
    throw corrupt(`codec version ${version} is not supported (expected ${CODEC_VERSION})`);
  const headerLength = view.getUint32(8, true);
  const payloadStart = PREFIX_BYTES + Math.ceil(headerLength / 4) * 4;
  if (payloadStart > bytes.byteLength) throw corrupt('the header is cut short');
  const totalFloats = (bytes.byteLength - payloadStart) / 4;
  let state: unknown;
  try {
    const header = new TextDecoder('utf-8', { fatal: true }).decode(
      bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength),
    );
    state = JSON.parse(header, (_key, value: unknown) => {
      if (value && typeof value === 'object' && '$f32' in value) {
        const [offset, length] = (value as ArrayRef).$f32;
        if (
          !Number.isInteger(offset) ||
          !Number.isInteger(length) ||
          offset < 0 ||
          length < 0 ||
          offset + length > totalFloats
        ) {
          throw corrupt(`array [${offset}, ${length}] lies outside the payload of ${totalFloats} floats`);
        }
        const a = new Float32Array(length);
        for (let i = 0; i < length; i++) a[i] = view.getFloat32(payloadStart + (offset + i) * 4, true);
        return a;
      }
      if (value && typeof value === 'object' && '$num' in value) return Number((value as NumberRef).$num);
      return value;
    });
  } catch (e) {
    if (e instanceof MyelinError) throw e;
    throw corrupt('the header is not valid UTF-8 JSON', e);
  }
  const s = state as Partial<CheckpointState> | null;
  if (
    !s ||
    s.formatVersion !== 2 ||
    (s.engine !== 'torch' && s.engine !== 'tfjs') ||
    typeof s.epoch !== 'number' ||
    !Array.isArray(s.weights) ||
    !Array.isArray(s.history)
  ) {
    throw corrupt(
      (state as { formatVersion?: unknown } | null)?.formatVersion === 1
        ? 'it is a version-1 checkpoint (tfjs weight names, before the engine port): start the run again'
        : 'the header lacks formatVersion 2, engine, epoch, weights or history',
    );
  }
  return s as CheckpointState;
}
