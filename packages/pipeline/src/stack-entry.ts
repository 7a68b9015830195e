/**
 * `@myelin/pipeline/stack`: opening a stack (its stores and executor) and checking the model
 * versions it holds, without the rest of the package. The commands that only read a stack (`runs`, `models`, `trials`, …) import this, so
 * they load neither the steps nor the engines nor the queue client: the package index reaches
 * every step, and a bundle keeps what a file it imports reaches.
 */
export type { Stack } from './stack/stack.js';
export { openStack } from './stack/open-stack.js';
export type { OpenStackOptions } from './stack/open-stack-options.js';
export { parseModelRef, resolveModelRef, type ModelRef } from './models/model-ref.js';
export { verifyModelVersion, type VerifyResult } from './models/verify-model-version.js';
