import type { TrialRecord } from './trial-record.js';
import type { TrialRunner } from './trial-runner.js';

/**
 * The queue flavor's second half: the records the run's trial jobs returned (read from the train
 * job's children once they all finished), handed to `runTune` in trial order. A trial whose job
 * failed for good (its worker crashed more often than its attempts allow) is a failed trial,
 * saying why; the search goes on with the others.
 */
export function collectedTrials(
  returned: ReadonlyMap<number, TrialRecord>,
  lost: ReadonlyMap<number, string>,
): TrialRunner {
  return {
    describe: (t) => `run as ${t.plan.length} jobs on the queue`,
    async run(_ctx, t) {
      return t.plan.map((params, index) => {
        const record: TrialRecord = returned.get(index) ?? {
          index,
          params,
          status: 'failed',
          metric: null,
          epochsRun: 0,
          rung: null,
          curve: [],
          outputs: null,
          error: `its trial job failed for good: ${lost.get(index) ?? 'it returned no record'}`,
        };
        t.onTrial(record);
        return record;
      });
    },
  };
}
