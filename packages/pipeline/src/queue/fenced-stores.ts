import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import { fenceArtifactStore } from './fence-artifact-store.js';
import { fenceMetadataStore } from './fence-metadata-store.js';
import { OPEN_FENCE, type Fence } from './fence.js';

/** A job's stores behind its lock fence (unchanged without one), and the fence itself. */
export function fencedStores(opts: {
  store: ArtifactStore;
  meta: MetadataStore;
  fence?: Fence | undefined;
}): {
  fence: Fence;
  store: ArtifactStore;
  meta: MetadataStore;
} {
  if (!opts.fence) return { fence: OPEN_FENCE, store: opts.store, meta: opts.meta };
  return {
    fence: opts.fence,
    store: fenceArtifactStore(opts.store, opts.fence),
    meta: fenceMetadataStore(opts.meta, opts.fence),
  };
}
