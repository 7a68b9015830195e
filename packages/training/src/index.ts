export * from './engine/index.js';
export * from './model/index.js';
export * from './train/index.js';
export * from './metrics/index.js';
