import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore, MlflowMirror } from '@myelin/registry';
import type { Executor } from '../executor/executor.js';
import type { StackConfig } from './stack-config.js';

/** Where things run and are kept: chosen once, by configuration, never by `if`s through the code. */
export interface Stack {
  name: string;
  store: ArtifactStore;
  meta: MetadataStore;
  executor: Executor;
  /** The configuration it was opened from (absent for stacks built by hand). */
  config?: StackConfig;
  /** Mirrors runs, versions and aliases into MLflow when one is configured (never blocks a run). */
  mlflow?: MlflowMirror;
  describe(): string;
  close(): Promise<void>;
}
