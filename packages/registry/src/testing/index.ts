export { metadataStoreContract, type MetadataStoreFixture } from './metadata-store-contract.js';
