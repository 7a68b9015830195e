/**
 * What the mirror needs from an artifact store: where a key lives (`file:///…` or `s3://…`) and its
 * bytes (for the optional upload to MLflow's artifact proxy). `ArtifactStore` from
 * `@myelin/artifacts` satisfies it as is; the registry keeps no dependency on that package.
 */
export interface MlflowArtifactSource {
  /** A URI for the key: `file:///…` for the filesystem store, `s3://bucket/…` for S3. */
  locate(key: string): string;
  /** The whole artifact, hash verified. */
  getBytes(key: string): Promise<Uint8Array>;
}
