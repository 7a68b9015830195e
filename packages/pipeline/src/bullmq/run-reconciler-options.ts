import type { MetadataStore } from '@myelin/registry';

/** Options of a `RunReconciler`. */
export interface RunReconcilerOptions {
  /** Redis URL of the queues. */
  url: string;
  /** BullMQ key prefix of the queues (the stack's `executor.prefix`). @defaultValue 'myelin' */
  prefix?: string;
  /** Where runs are recorded (the reconciler reads them and ends or re-enqueues them). */
  meta: MetadataStore;
  /** Who this process is, in the leader key and logs (e.g. the worker's name). */
  name: string;
  /** How often the leader looks; the lead is held for three times this. @defaultValue 10000 */
  intervalMs?: number;
  /**
   * A run younger than this is left alone: its submitter may be putting its jobs on the queue.
   * @defaultValue three times `intervalMs`
   */
  submitGraceMs?: number;
  /**
   * A running step without a heartbeat yet counts as held for this long after it started (its
   * worker's first lock renewal comes half a lock duration in). @defaultValue 60000
   */
  startGraceMs?: number;
  /** How often one run is re-enqueued before it is failed instead. @defaultValue 3 */
  maxRequeues?: number;
  /** Where it says what it did (one line per action). @defaultValue nowhere */
  log?: (line: string) => void;
}
