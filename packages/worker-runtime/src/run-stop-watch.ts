import type { Redis } from 'ioredis';
import type { MetadataStore } from '@myelin/registry';
import { isCancelFlagSet, isFinalRunStatus, type StopReason } from '@myelin/pipeline';

/** A stop check a step can call at every epoch boundary without waiting on Redis. */
export interface RunStopWatch {
  /** Why the step should stop now, or null. */
  reason(): StopReason | null;
  /** Stops polling. */
  stop(): void;
}

/** Abort reasons that mean "this worker lets go of the job" rather than "the run is cancelled". */
export const RELEASE_REASONS = new Set(['shutdown', 'lost-lock']);

/**
 * Polls, every `intervalMs`, the run's cancel flag in Redis and the run's status in the metadata
 * store (a run that ended elsewhere, e.g. failed because its jobs were lost, stops too), and
 * watches the job's abort signal (worker shutdown, lost lock). `reason()` is synchronous, so the
 * training loop can ask it at each epoch boundary.
 */
export function watchRunStop(opts: {
  runId: string;
  redis: Redis;
  /** The stack's queue prefix. */
  prefix: string;
  meta: MetadataStore;
  signal?: AbortSignal | undefined;
  intervalMs?: number;
}): RunStopWatch {
  let cancelled = false;
  let busy = false;
  const poll = async () => {
    if (busy || cancelled) return;
    busy = true;
    try {
      if (await isCancelFlagSet(opts.redis, opts.prefix, opts.runId)) cancelled = true;
      else {
        const run = await opts.meta.getRun(opts.runId);
        if (run && isFinalRunStatus(run.status)) cancelled = true;
      }
    } catch {
      // Redis or the database away for a moment: keep going, the next poll tries again
    } finally {
      busy = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), opts.intervalMs ?? 1000);
  timer.unref();
  return {
    reason() {
      const s = opts.signal;
      if (s?.aborted) return RELEASE_REASONS.has(String(s.reason)) ? 'shutdown' : 'cancel';
      return cancelled ? 'cancel' : null;
    },
    stop: () => clearInterval(timer),
  };
}
