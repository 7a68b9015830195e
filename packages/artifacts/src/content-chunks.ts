import { Readable } from 'node:stream';
import type { ArtifactContent } from './artifact-store.js';

/**
 * Normalises what `put` accepts into an async iterable of byte chunks.
 * Strings from a stream with an encoding set become UTF-8 bytes.
 */
export async function* contentChunks(content: ArtifactContent): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) {
    yield content;
    return;
  }
  const iterable: AsyncIterable<unknown> =
    Symbol.asyncIterator in content
      ? (content as AsyncIterable<unknown>)
      : new Readable().wrap(content as NodeJS.ReadableStream);
  for await (const chunk of iterable) {
    if (chunk instanceof Uint8Array) yield chunk;
    else if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else throw new TypeError(`artifact content chunks must be Uint8Array, got ${typeof chunk}`);
  }
}
