export { artifactStoreContract, type ArtifactStoreFixture } from './artifact-store-contract.js';
export { startS3rver, type RunningS3rver, type StartS3rverOptions } from './start-s3rver.js';
