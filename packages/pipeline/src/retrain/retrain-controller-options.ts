import type { DeploySection } from '@myelin/spec';
import type { SchedulerClock } from '../schedule/scheduler-clock.js';
import type { Stack } from '../stack/stack.js';

/** What a retraining run's registered version is deployed with, per its pipeline's `deploy:`. */
export interface RetrainDeployment {
  model: string;
  version: number;
  deploy: DeploySection;
  /** The retraining run. */
  runId: string;
}

/**
 * Rolls a retrained version out (canary or shadow: makes it the candidate the servers analyse;
 * direct: moves the served alias); returns a line saying what was done. The API passes the
 * serving library's `recordDeployment`.
 */
export type DeployRetrained = (d: RetrainDeployment) => Promise<string>;

/** Options of `RetrainController`. */
export interface RetrainControllerOptions {
  stack: Stack;
  /** Deploys a version a retraining run registered. @defaultValue none: versions stay registered only */
  deploy?: DeployRetrained;
  /** No drift retraining of a model within this long after its last one. @defaultValue 3_600_000 (1 h) */
  cooldownMs?: number;
  /** How often the metadata store is read for new drift events. @defaultValue 2000 */
  pollMs?: number;
  /** Drift events older than this when first seen are recorded as skipped. @defaultValue 3_600_000 (1 h) */
  maxEventAgeMs?: number;
  /** The in-process scheduler's clock (the embedded stack). @defaultValue the real clock */
  clock?: SchedulerClock;
  /** Receives one line per decision and failure. @defaultValue none */
  log?: (line: string) => void;
}
