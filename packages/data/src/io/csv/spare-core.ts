import { availableParallelism, loadavg } from 'node:os';

/**
 * True when a second core looks free: the cores this process may use, less the machine's load
 * (the 1-minute average of runnable threads, this process included), leave at least one. On a
 * machine whose cores are all taken a second thread only adds its start-up and a second JIT
 * warm-up to the work, and finishes later than one thread alone.
 */
export function spareCore(): boolean {
  return availableParallelism() - (loadavg()[0] ?? 0) >= 1;
}
