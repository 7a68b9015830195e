/** What `put` accepts: bytes, an async iterable of byte chunks, or a Node readable stream. */
export type ArtifactContent = Uint8Array | AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

/** The result of a `put`: the content key, the hex sha256 of the bytes and their count. */
export interface PutResult {
  /** `sha256/<first two hex chars>/<remaining 62 hex chars>` */
  key: string;
  /** Lower-case hex sha256 of the content. */
  sha256: string;
  /** Size in bytes. */
  size: number;
}

/** One stored artifact as `head` and `list` report it. */
export interface ArtifactInfo {
  key: string;
  size: number;
}

/** Options of a `put`. */
export interface PutOptions {
  /** MIME type, kept by stores that can keep it (S3); the filesystem store ignores it. @defaultValue undefined */
  contentType?: string;
}

/**
 * The artifact store port: immutable, content-addressed blobs (sha256) plus named, mutable refs.
 *
 * Keys are always content keys `sha256/ab/cdef…` (64 hex chars split 2/62). Ref names use
 * `[A-Za-z0-9._/-]`, no `..` or `.` segment, no empty segment, no leading `/`.
 * Every bad key or name is rejected with `MYELIN_ERR_ARTIFACT_KEY`.
 *
 * Streams: `get` returns a Node `Readable` (it is both a `NodeJS.ReadableStream` and an
 * `AsyncIterable<Buffer>`; use `Readable.toWeb` for a web stream). The content hash is verified as
 * the bytes flow, and the stream errors with `MYELIN_ERR_ARTIFACT_INTEGRITY` at its end on a mismatch,
 * so a consumer must not trust the bytes before the stream ended without error.
 *
 * @example
 * const { key } = await store.put(new TextEncoder().encode('hello'));
 * const bytes = await store.getBytes(key); // verified
 * await store.putRef('checkpoints/r-1/latest', key);
 */
export interface ArtifactStore {
  /** Stores content; returns its key and digest. Content already there: no-op (same key). */
  put(content: ArtifactContent, opts?: PutOptions): Promise<PutResult>;
  /** A stream of the content, hash-verified as it streams. Missing: `MYELIN_ERR_ARTIFACT_NOT_FOUND`. */
  get(key: string): Promise<NodeJS.ReadableStream & AsyncIterable<Uint8Array>>;
  /** The whole artifact, hash verified. Missing: `MYELIN_ERR_ARTIFACT_NOT_FOUND`. */
  getBytes(key: string): Promise<Uint8Array>;
  /** Size of a stored artifact, or null when absent. */
  head(key: string): Promise<ArtifactInfo | null>;
  /** Stored artifacts whose key starts with `prefix` (`''`, `sha256/`, `sha256/ab`, …), in key order. */
  list(prefix: string): AsyncIterable<ArtifactInfo>;
  /** Removes an artifact; absent already: no-op. */
  delete(key: string): Promise<void>;
  /** Points the named ref at a stored key, atomically replacing the old target. Key missing: NOT_FOUND. */
  putRef(name: string, key: string): Promise<void>;
  /** The key a ref points at, or null when the ref does not exist. */
  getRef(name: string): Promise<string | null>;
  /** Ref names starting with `prefix`, in name order. */
  listRefs(prefix: string): AsyncIterable<string>;
  /** Removes a ref (not its target); absent already: no-op. */
  deleteRef(name: string): Promise<void>;
  /** Where the store is, for logs and manifests, e.g. `fs:/abs/path`. */
  describe(): string;
  /** A URI for the key: `file:///…` for the filesystem store, `s3://bucket/…` for S3. */
  locate(key: string): string;
}
