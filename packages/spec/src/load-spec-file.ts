import { open } from 'node:fs/promises';
import { MyelinError } from '@myelin/errors';
import { MAX_SPEC_BYTES } from './limits.js';
import { parseSpec, type LoadedSpec } from './parse-spec.js';

async function readLimited(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_SPEC_BYTES) {
      throw new MyelinError(
        'MYELIN_ERR_SPEC_TOO_LARGE',
        `the file is ${size} bytes; the limit is ${MAX_SPEC_BYTES} bytes (1 MiB)`,
        { file: path },
      );
    }
    // Read at most one byte past the limit, in case the file grew after stat.
    const buffer = Buffer.alloc(Math.min(size, MAX_SPEC_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > MAX_SPEC_BYTES) {
      throw new MyelinError(
        'MYELIN_ERR_SPEC_TOO_LARGE',
        `the file is over the limit of ${MAX_SPEC_BYTES} bytes (1 MiB)`,
        { file: path },
      );
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
    } catch (cause) {
      throw new MyelinError(
        'MYELIN_ERR_SPEC_READ',
        'the file is not valid UTF-8 text',
        { file: path },
        { cause },
      );
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads a pipeline file and parses it with {@link parseSpec}. The size is checked before the file
 * is read whole (MYELIN_ERR_SPEC_TOO_LARGE); a missing or unreadable file is MYELIN_ERR_SPEC_READ.
 *
 * @example const { spec, dir } = await loadSpecFile('examples/penguins/pipeline.yaml');
 */
export async function loadSpecFile(path: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readLimited(path);
  } catch (error) {
    if (error instanceof MyelinError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new MyelinError(
      'MYELIN_ERR_SPEC_READ',
      `cannot read the pipeline file: ${why}`,
      { file: path },
      { cause: error },
    );
  }
  return parseSpec(text, path);
}
