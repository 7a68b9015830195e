export type {
  ArtifactContent,
  ArtifactInfo,
  ArtifactStore,
  PutOptions,
  PutResult,
} from './artifact-store.js';
export {
  assertContentKey,
  assertListPrefix,
  assertRefName,
  assertRefPrefix,
  contentKey,
  parseContentKey,
  MAX_REF_NAME_LENGTH,
} from './artifact-keys.js';
export { toArtifactIoError } from './artifact-io-error.js';
export { FsArtifactStore } from './fs-artifact-store.js';
export type { FsArtifactStoreOptions } from './fs-artifact-store-options.js';
export * from './manifest/index.js';
export { S3ArtifactStore } from './s3/s3-artifact-store.js';
export type { S3ArtifactStoreOptions, S3ServerSideEncryption } from './s3/s3-artifact-store-options.js';
export { parseS3Url } from './s3/parse-s3-url.js';
export { toS3ArtifactError, type S3ErrorContext } from './s3/to-s3-artifact-error.js';
