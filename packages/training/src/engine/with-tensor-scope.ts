import * as tf from '@tensorflow/tfjs';

/**
 * Runs `fn` (sync or async, e.g. a `model.fit`) in a tensor scope. If it throws, every tensor it
 * created that is still alive (not a variable, not `tf.keep`-ed) is disposed — a failed fit
 * otherwise leaks thousands (engine notes, hazard 5). If it succeeds nothing is disposed: the
 * surviving tensors are handed to the enclosing scope, as if the scope was not there.
 * Do not run two scoped async jobs concurrently: tfjs has one scope stack per process.
 *
 * @example
 * const history = await withTensorScope(() => model.fit(xs, ys, { epochs: 3 }));
 */
export async function withTensorScope<T>(fn: () => T | Promise<T>, name = 'myelin-scope'): Promise<T> {
  const engine = tf.engine();
  const state = engine.state;
  engine.startScope(name);
  const scope = state.activeScope;
  let ok = false;
  try {
    const result = await fn();
    ok = true;
    return result;
  } finally {
    const i = state.scopeStack.lastIndexOf(scope);
    if (i >= 0) state.scopeStack.splice(i, 1);
    const outer = state.scopeStack[state.scopeStack.length - 1];
    // tfjs declares activeScope non-null, yet its own endScope sets null when no scope is left
    if (outer) state.activeScope = outer;
    else Reflect.set(state, 'activeScope', null);
    for (const t of scope.track) {
      if (t.isDisposed || t.kept) continue;
      if (ok) outer?.track.push(t);
      else t.dispose();
    }
  }
}
