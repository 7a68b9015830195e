export * from './types.js';
export * from './io/index.js';
export * from './schema/index.js';
export * from './profile/index.js';
export * from './validate/index.js';
export * from './split/index.js';
export * from './drift/index.js';
export * from './transform/index.js';
