import type { RunRecord } from '../metadata-records.js';

/** A finished run record for unit tests (times 0, no summary), with `over` on top. */
export function runRecordFixture(over: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'r-1',
    pipeline: 'p',
    status: 'succeeded',
    trigger: 'cli',
    specHash: 'h',
    specText: '',
    parentRunId: null,
    createdAt: 0,
    startedAt: 0,
    finishedAt: 0,
    error: null,
    summary: null,
    specFile: null,
    options: null,
    ...over,
  };
}
