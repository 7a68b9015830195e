export { artifactStoreContract, type ArtifactStoreFixture } from './artifact-store-contract.js';
