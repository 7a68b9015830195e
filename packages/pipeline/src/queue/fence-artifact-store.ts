import type { ArtifactContent, ArtifactInfo, ArtifactStore, PutOptions, PutResult } from '@myelin/artifacts';
import type { Fence } from './fence.js';

/**
 * An artifact store whose named-ref writes (`putRef`, `deleteRef`, and `delete`) pass a fence
 * first: a stale step job can still store content-addressed blobs (immutable, and reachable only
 * through a ref or a record it can no longer write) but never move a ref — a checkpoint, a cache
 * entry — that the job's new holder relies on.
 */
class FencedArtifactStore implements ArtifactStore {
  constructor(
    private readonly inner: ArtifactStore,
    private readonly fence: Fence,
  ) {}

  put(content: ArtifactContent, opts?: PutOptions): Promise<PutResult> {
    return this.inner.put(content, opts);
  }
  get(key: string): ReturnType<ArtifactStore['get']> {
    return this.inner.get(key);
  }
  getBytes(key: string): Promise<Uint8Array> {
    return this.inner.getBytes(key);
  }
  head(key: string): Promise<ArtifactInfo | null> {
    return this.inner.head(key);
  }
  list(prefix: string): AsyncIterable<ArtifactInfo> {
    return this.inner.list(prefix);
  }
  async delete(key: string): Promise<void> {
    await this.fence();
    return this.inner.delete(key);
  }
  async putRef(name: string, key: string): Promise<void> {
    await this.fence();
    return this.inner.putRef(name, key);
  }
  getRef(name: string): Promise<string | null> {
    return this.inner.getRef(name);
  }
  listRefs(prefix: string): AsyncIterable<string> {
    return this.inner.listRefs(prefix);
  }
  async deleteRef(name: string): Promise<void> {
    await this.fence();
    return this.inner.deleteRef(name);
  }
  describe(): string {
    return this.inner.describe();
  }
  locate(key: string): string {
    return this.inner.locate(key);
  }
}

/**
 * Wraps a store so its ref writes pass `fence` first (see {@link FencedArtifactStore}).
 *
 * @example const store = fenceArtifactStore(stack.store, jobLockFence({ … }));
 */
export function fenceArtifactStore(store: ArtifactStore, fence: Fence): ArtifactStore {
  return new FencedArtifactStore(store, fence);
}
