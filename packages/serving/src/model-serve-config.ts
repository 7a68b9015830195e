import type { BatchingOptions } from './batching/batching-options.js';
import type { DriftOptions } from './monitoring/drift-options.js';
import type { RolloutSettings } from './rollout/rollout-settings.js';

/** One model the server serves, and how. */
export interface ModelServeConfig {
  /** Registered model name. */
  name: string;
  /** Alias whose version answers requests. @defaultValue 'production' */
  alias?: string;
  /** Dynamic batching knobs. @defaultValue see `BatchingOptions` */
  batching?: BatchingOptions;
  /** Bearer tokens accepted for this model (any one). @defaultValue none: no auth */
  tokens?: string[];
  /**
   * Rollout used when a candidate appears without settings recorded by `myelin deploy`
   * (the pipeline's `deploy:` section). @defaultValue { strategy: 'canary' } with its defaults
   */
  rollout?: RolloutSettings;
  /** Drift watching (the pipeline's `monitor.drift`). @defaultValue see `DriftOptions` */
  drift?: DriftOptions;
  /** Share of instances whose input and output are logged to the artifact store. @defaultValue 0 (off) */
  logSampleRate?: number;
  /** Sampled records per log artifact. @defaultValue 200 */
  logBatchSize?: number;
}
