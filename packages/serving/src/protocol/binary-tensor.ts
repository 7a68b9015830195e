import { badRequest } from '../util/serving-error.js';

/** Bytes per element of the fixed-size V2 datatypes. */
const SIZE: Record<string, number> = {
  BOOL: 1,
  INT8: 1,
  UINT8: 1,
  INT16: 2,
  UINT16: 2,
  INT32: 4,
  UINT32: 4,
  INT64: 8,
  UINT64: 8,
  FP32: 4,
  FP64: 8,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one input tensor sent with the binary tensor data extension (Triton's and KServe's
 * clients' default: the JSON header, then each input's raw bytes, `parameters.binary_data_size`
 * long): little-endian fixed-size elements, or for BYTES a 4-byte little-endian length before
 * each element. `where` names the tensor in messages.
 *
 * @example
 * decodeBinaryTensor('FP32', Buffer.from(Float32Array.of(1, 2).buffer), 2, 'inputs[0]'); // Float32Array [1, 2]
 */
export function decodeBinaryTensor(
  datatype: string,
  bytes: Uint8Array,
  count: number,
  where: string,
): ArrayLike<unknown> {
  if (datatype === 'BYTES') {
    const out: string[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    while (at < bytes.length) {
      if (at + 4 > bytes.length) throw badRequest(`${where}: BYTES data ends inside an element's length`);
      const len = view.getUint32(at, true);
      at += 4;
      if (at + len > bytes.length)
        throw badRequest(`${where}: BYTES element ${out.length} runs past its data`);
      try {
        out.push(utf8.decode(bytes.subarray(at, at + len)));
      } catch {
        throw badRequest(`${where}: BYTES element ${out.length} is not UTF-8 text`);
      }
      at += len;
    }
    if (out.length !== count)
      throw badRequest(`${where}: the shape needs ${count} values, the binary data has ${out.length}`);
    return out;
  }
  const size = SIZE[datatype];
  if (size === undefined)
    throw badRequest(`${where}: binary data of datatype ${datatype} is not supported (use FP32)`);
  if (bytes.length !== count * size) {
    throw badRequest(
      `${where}: the shape needs ${count} values of ${size} bytes (${count * size}), binary_data_size is ${bytes.length}`,
    );
  }
  // copy into an aligned buffer: the tensor may start at any offset of the body
  const buf = new Uint8Array(bytes).buffer;
  switch (datatype) {
    case 'BOOL':
      return Array.from(new Uint8Array(buf), (b) => b !== 0);
    case 'INT8':
      return new Int8Array(buf);
    case 'UINT8':
      return new Uint8Array(buf);
    case 'INT16':
      return new Int16Array(buf);
    case 'UINT16':
      return new Uint16Array(buf);
    case 'INT32':
      return new Int32Array(buf);
    case 'UINT32':
      return new Uint32Array(buf);
    case 'INT64':
      return Array.from(new BigInt64Array(buf), Number);
    case 'UINT64':
      return Array.from(new BigUint64Array(buf), Number);
    case 'FP32':
      return new Float32Array(buf);
    default:
      return new Float64Array(buf);
  }
}
