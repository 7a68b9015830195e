export { canonicalJson } from './canonical-json.js';
export type {
  ManifestEngine,
  ManifestFile,
  ManifestFileRole,
  ManifestGate,
  ModelManifest,
} from './model-manifest.js';
export { parseManifest } from './parse-manifest.js';
export {
  MODEL_FILES,
  findModelFile,
  modelFile,
  modelFileEntry,
  type ModelFileRole,
} from './model-version-files.js';
export { manifestHash } from './manifest-hash.js';
export { storeManifest } from './store-manifest.js';
export { storeManifestFile } from './store-manifest-file.js';
export { loadManifest } from './load-manifest.js';
export { verifyManifest, type ManifestProblem, type ManifestVerification } from './verify-manifest.js';
