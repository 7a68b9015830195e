import type { FileHandle } from 'node:fs/promises';

/** The most one read request asks for (libuv caps a single read a little under 2 GiB). */
const MAX_READ = 1 << 30;

/**
 * Reads an open file of `size` bytes whole, in as few read requests as the platform allows (one
 * below 1 GiB). `FileHandle.readFile` reads 512 KiB per request, each a round trip through the
 * event loop: for a 200 MB artifact that is ~400 trips, and none of them advance while the main
 * thread is busy (loading libtorch, say). A file that ends early (shrunk while read) is an error.
 */
export async function readWholeFile(fh: FileHandle, size: number, maxRead = MAX_READ): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size);
  let offset = 0;
  while (offset < size) {
    const { bytesRead } = await fh.read(bytes, offset, Math.min(maxRead, size - offset), offset);
    if (bytesRead === 0) throw new Error(`the file ended after ${offset} of its ${size} bytes (it changed while read)`);
    offset += bytesRead;
  }
  return bytes;
}
