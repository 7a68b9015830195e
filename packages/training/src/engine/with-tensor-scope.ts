import * as tf from '@tensorflow/tfjs';

type Scope = { track: tf.Tensor[]; name: string; id: number };
type EngineScopes = { scopeStack: Scope[]; activeScope: Scope | null };

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
  // third-party type gap: tfjs does not export the engine/backend internals read here
  const state = engine.state as unknown as EngineScopes;
  engine.startScope(name);
  const scope = state.activeScope as Scope;
  let ok = false;
  try {
    const result = await fn();
    ok = true;
    return result;
  } finally {
    const i = state.scopeStack.lastIndexOf(scope);
    if (i >= 0) state.scopeStack.splice(i, 1);
    state.activeScope = state.scopeStack[state.scopeStack.length - 1] ?? null;
    for (const t of scope.track) {
      if (t.isDisposed || t.kept) continue;
      if (ok) state.activeScope?.track.push(t);
      else t.dispose();
    }
  }
}
