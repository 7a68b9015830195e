import type { ArtifactContent } from './artifact-store.js';

/**
 * Keeps a content stream that fails before it is read from raising an uncaught `'error'` event;
 * the failure still surfaces when the stream is iterated. Returns the function that lets go.
 */
export function holdStreamErrors(content: ArtifactContent): () => void {
  const emitter = content as Partial<NodeJS.EventEmitter>;
  if (typeof emitter.on !== 'function' || typeof emitter.off !== 'function') return () => undefined;
  const ignore = (): void => undefined;
  emitter.on('error', ignore);
  return () => emitter.off?.('error', ignore);
}
