import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why {@link readRegularFile} refused a file: the words for a message (never its content). */
export class RegularFileError extends Error {
  constructor(
    message: string,
    /** `missing`, `not-a-file`, `too-large` or `unreadable`. */
    readonly reason: 'missing' | 'not-a-file' | 'too-large' | 'unreadable',
  ) {
    super(message);
    this.name = 'RegularFileError';
  }
}

/**
 * Reads a small file whole, refusing anything but a regular file of at most `maxBytes`: the file is
 * opened without blocking (a FIFO never hangs the read), checked with `fstat` on the same handle
 * (no swap between check and read), and read up to `maxBytes + 1` bytes, so a file whose reported
 * size lies (procfs reports 0) is still capped. Errors say why in words, never with the content.
 *
 * @example const bytes = await readRegularFile('/srv/pipelines/schema.json', 1 << 20);
 * @throws RegularFileError
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RegularFileError('no such file', 'missing');
    if (code === 'EISDIR') throw new RegularFileError('it is a folder, not a file', 'not-a-file');
    throw new RegularFileError(`cannot open it (${code ?? 'error'})`, 'unreadable');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const kind = info.isDirectory()
        ? 'a folder'
        : info.isFIFO()
          ? 'a FIFO'
          : info.isCharacterDevice() || info.isBlockDevice()
            ? 'a device'
            : info.isSocket()
              ? 'a socket'
              : 'not a regular file';
      throw new RegularFileError(`it is ${kind}, not a regular file`, 'not-a-file');
    }
    if (info.size > maxBytes)
      throw new RegularFileError(`it is ${info.size} bytes, more than the limit of ${maxBytes}`, 'too-large');
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > maxBytes)
        throw new RegularFileError(`it holds more than the limit of ${maxBytes} bytes`, 'too-large');
    }
    return buffer.subarray(0, filled);
  } catch (e) {
    if (e instanceof RegularFileError) throw e;
    throw new RegularFileError(
      `cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      'unreadable',
    );
  } finally {
    await handle.close().catch(() => undefined);
  }
}
