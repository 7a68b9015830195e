import { describe, expectTypeOf, it } from 'vitest';
import type { RecordedTrial } from '@myelin/registry';
import type { TrialSummary } from './tune/run-tune.js';

// A type test (compiled by typecheck and `vitest --typecheck`; its it() body never runs): what the
// tune step writes as the train step's `trials` output is what registry's `readTrials` reads back.
describe('TrialSummary', () => {
  it('is a RecordedTrial, the form readTrials reads from a run', () => {
    expectTypeOf<TrialSummary>().toExtend<RecordedTrial>();
  });
});
