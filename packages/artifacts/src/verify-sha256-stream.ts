import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformOptions } from 'node:stream';

/** How `verifySha256Stream` reports. */
export interface VerifySha256Options {
  /** The hex sha256 the content must have. */
  sha256: string;
  /** Buffering of the verifying stream (each store sizes it to its source's chunks). */
  stream: Pick<TransformOptions, 'highWaterMark' | 'readableHighWaterMark'>;
  /** The error the stream ends with when the content hashes to `actual` instead. */
  mismatch(actual: string): Error;
  /** The error a failure of `source` becomes. */
  readError(e: Error): Error;
  /** Called once the whole content hashed to `sha256` (before the stream ends). */
  verified?(): void;
}

/**
 * Pipes `source` through a stream that passes every chunk on and hashes it, and ends with
 * `mismatch(actual)` instead of its end when the content is not `sha256`: the one read-side
 * verification of the file and S3 stores. Closing it destroys `source`.
 *
 * @example
 * return verifySha256Stream(fileStream, { sha256, stream: {}, mismatch: (a) => integrityError(key, a), readError: (e) => e });
 */
export function verifySha256Stream(source: Readable, o: VerifySha256Options): Transform {
  const hash = createHash('sha256');
  const verifier = new Transform({
    ...o.stream,
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
    flush(cb) {
      const actual = hash.digest('hex');
      if (actual !== o.sha256) return cb(o.mismatch(actual));
      o.verified?.();
      cb(null);
    },
  });
  source.on('error', (e) => verifier.destroy(o.readError(e)));
  verifier.on('close', () => source.destroy());
  source.pipe(verifier);
  return verifier;
}
