import { availableParallelism } from 'node:os';
import { AshaRungs } from './asha-rungs.js';
import { runTrial } from './run-trial.js';
import type { TrialRecord } from './trial-record.js';
import type { TrialRunner } from './trial-runner.js';

/**
 * The in-process trial runner: `parallelism` lanes in the train step's process take the trials in
 * order, each lane's torch engine given an equal share of the cores (or `train.resources.cpu`),
 * ASHA's rungs kept in memory. A cancelled run stops every trial at its next epoch and starts no more.
 */
export const inProcessTrials: TrialRunner = {
  describe: (t) => `${Math.min(t.parallelism, t.plan.length)} at a time in this process`,
  async run(ctx, t) {
    const parallelism = Math.min(t.parallelism, t.plan.length);
    const threads =
      ctx.spec.train.resources?.cpu ?? Math.max(1, Math.floor(availableParallelism() / parallelism));
    const board = t.asha ? new AshaRungs(t.asha) : null;
    const records: TrialRecord[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < t.plan.length && !ctx.shouldStop()) {
        const index = next++;
        const record = await runTrial(ctx, {
          index,
          params: t.plan[index]!,
          metric: t.metric,
          threads,
          board,
        });
        records[index] = record;
        t.onTrial(record);
      }
    };
    await Promise.all(Array.from({ length: parallelism }, lane));
    return records;
  },
};
