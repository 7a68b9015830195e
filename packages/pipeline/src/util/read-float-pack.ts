import { MyelinError } from '@myelin/errors';
import type { NamedArray } from './float-pack.js';

interface PackEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/**
 * Reads the named arrays of a float32 pack (the format of `packFloat32`) from a stream of its
 * bytes, each into an array of its own: memory holds the arrays asked for and one chunk, never
 * the whole pack (the train step skips the test split's matrix this way). The stream's own
 * checks (an artifact store's hash) end it with an error when the bytes are wrong.
 *
 * @throws MyelinError MYELIN_ERR_DATA_FORMAT naming `where` when the bytes are not a float pack,
 * end early, or lack an array asked for.
 * @example
 * const { x_train } = await readFloatPack(await store.get(key), ['x_train'], key);
 */
export async function readFloatPack(
  chunks: AsyncIterable<Uint8Array>,
  names: readonly string[],
  where: string,
): Promise<Record<string, NamedArray>> {
  const fail = (detail: string): never => {
    throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `${where}: ${detail}`, { file: where });
  };
  let head = new Uint8Array(0);
  let start = -1;
  /** Where each wanted array's bytes go, by body byte offset. */
  let targets: { from: number; to: number; bytes: Uint8Array }[] = [];
  const out: Record<string, NamedArray> = {};
  let pos = 0; // bytes of the stream seen
  for await (const chunk of chunks) {
    let c = chunk;
    if (start < 0) {
      const joined = new Uint8Array(head.length + c.length);
      joined.set(head);
      joined.set(c, head.length);
      head = joined;
      if (head.length < 8) continue;
      if (head[0] !== 0x4d || head[1] !== 0x59 || head[2] !== 0x46 || head[3] !== 0x31) fail('not a Myelin float32 pack (bad magic)');
      const headerLen = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true);
      if (head.length < 8 + headerLen) continue;
      const header = JSON.parse(new TextDecoder().decode(head.subarray(8, 8 + headerLen))) as { arrays: PackEntry[] };
      start = 8 + headerLen;
      for (const name of names) {
        const e = header.arrays.find((a) => a.name === name);
        if (!e) return fail(`the float pack has no array ${name}`);
        const data = new Float32Array(e.length);
        out[name] = { data, shape: e.shape };
        const from = start + 4 * e.offset;
        targets.push({ from, to: from + 4 * e.length, bytes: new Uint8Array(data.buffer) });
      }
      targets = targets.filter((t) => t.to > t.from);
      c = head;
      head = new Uint8Array(0);
      pos = 0;
    }
    const end = pos + c.length;
    for (const t of targets) {
      const a = Math.max(t.from, pos);
      const b = Math.min(t.to, end);
      if (a < b) t.bytes.set(c.subarray(a - pos, b - pos), a - t.from);
    }
    pos = end;
  }
  if (start < 0) fail('not a Myelin float32 pack (it ends inside its header)');
  for (const t of targets) if (pos < t.to) fail(`the float pack ends at byte ${pos}, inside its arrays`);
  return out;
}
