export { splitIndices } from './split-indices.js';
export { seededShuffle, shuffleInPlace } from './seeded-shuffle.js';
export { createSeededRng } from './seeded-rng.js';
export { allocateCounts } from './allocate-counts.js';
export type { SplitInput, SplitOptions, SplitResult } from './split-types.js';
