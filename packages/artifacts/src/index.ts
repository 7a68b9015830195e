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
