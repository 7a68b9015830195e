import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { jobThreads } from './start-worker.js';

describe('jobThreads', () => {
  it('shares the cores among the jobs that run at once, never below one thread', () => {
    const cores = availableParallelism();
    expect(jobThreads({ concurrency: 1 })).toBe(cores);
    expect(jobThreads({ concurrency: cores })).toBe(1);
    expect(jobThreads({ concurrency: cores * 4 })).toBe(1);
    expect(jobThreads({ concurrency: 2, threads: 3 })).toBe(3);
  });

  it('refuses a thread count that is not a positive integer', () => {
    expect(() => jobThreads({ concurrency: 1, threads: 0 })).toThrow(/threads must be a positive integer/);
  });
});
