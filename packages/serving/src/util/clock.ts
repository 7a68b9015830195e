/** A cancellable timer handle from a `Clock`. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time as the serving code sees it: wall time and timers. The system clock in production, a fake
 * clock in tests (so no test waits on real time).
 */
export interface Clock {
  /** Milliseconds since the epoch (fractional on the system clock, for sub-millisecond latencies). */
  now(): number;
  /** Runs `fn` after `ms` milliseconds (unref'd: it never keeps the process alive). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

/** The real clock: high-resolution epoch time and unref'd Node timers. */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};
