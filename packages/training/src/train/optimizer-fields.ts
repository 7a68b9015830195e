import type * as tf from '@tensorflow/tfjs';

// tfjs keeps some optimizer state in protected or untyped fields (adam's and rmsprop's
// `learningRate`, adam's `accBeta1`/`accBeta2`, momentum's −lr scalar `c`) with no public accessor.
// These two read and write them by name, checked at run time instead of cast at compile time.

/**
 * An optimizer's own field by name, as `unknown`: the caller narrows it (`instanceof tf.Variable`).
 *
 * @example optimizerField(adam, 'accBeta1') instanceof tf.Variable // true once adam has stepped
 */
export function optimizerField(optimizer: tf.Optimizer, name: string): unknown {
  const value: unknown = Reflect.get(optimizer, name);
  return value;
}

/**
 * Sets a numeric field an optimizer already has; throws when it has no such number (a tfjs
 * release that renamed it), rather than quietly adding a field nothing reads.
 */
export function setOptimizerNumber(optimizer: tf.Optimizer, name: string, value: number): void {
  if (typeof optimizerField(optimizer, name) !== 'number')
    throw new Error(`tfjs ${optimizer.getClassName()} has no numeric field ${name} to set`);
  Reflect.set(optimizer, name, value);
}
