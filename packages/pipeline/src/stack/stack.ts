import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import type { Executor } from '../executor/executor.js';

/** Where things run and are kept: chosen once, by configuration, never by `if`s through the code. */
export interface Stack {
  name: string;
  store: ArtifactStore;
  meta: MetadataStore;
  executor: Executor;
  describe(): string;
  close(): Promise<void>;
}
