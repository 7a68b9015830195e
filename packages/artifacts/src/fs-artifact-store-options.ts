/** Options of `FsArtifactStore`. */
export interface FsArtifactStoreOptions {
  /**
   * The folder holding the artifacts (created on first write). Relative paths resolve against
   * the process working directory.
   * @defaultValue `./.myelin/artifacts`
   */
  root?: string;
  /**
   * Temp files left by a crashed writer that are older than this many milliseconds are removed
   * by the first write of this store instance (and by `cleanupTempFiles()`). Younger ones may belong
   * to a writer in another process and are left alone.
   * @defaultValue 3_600_000 (one hour)
   */
  staleTempAfterMs?: number;
  /**
   * fsync files and their folders on every write (durability across power loss). Turning it off
   * only makes sense for throwaway stores in tests.
   * @defaultValue true
   */
  fsync?: boolean;
}
