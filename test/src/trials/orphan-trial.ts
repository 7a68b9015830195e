import { setTimeout as sleep } from 'node:timers/promises';
import {
  childPids,
  killAll,
  lastJson,
  pidAlive,
  startMyelinProcess,
  until,
  type TrialProcess,
} from './trial-processes.js';
import { startTrialStack, TRIAL_WORKER_FLAGS, trialPipeline } from './trial-stack.js';

/** What the orphaned-trainer trial saw. */
export interface OrphanFigures {
  /** Sandboxed trainers the killed worker had. */
  trainers: number;
  /** Of them, alive after the bounded wait (each should die with its worker). */
  survivors: number;
  /** About how long the last trainer outlived its worker, in ms (printed, never asserted). */
  outlivedMs: number;
  /**
   * Epochs recorded past the last one the killed worker reported (what only a trainer outliving it
   * could write), before another worker took the job.
   */
  writesAfterKill: number;
  /** How the run ended once another worker took over. */
  status: string;
  resumedFromEpoch: number;
}

/**
 * A worker SIGKILLed in the middle of a slow epoch (about a second or more): its sandboxed trainer
 * must die with it instead of finishing the epoch, so nothing — no epoch metrics, no checkpoint —
 * is written by it while its job's lock is still valid; then another worker resumes the run.
 */
export async function orphanTrial(log: (line: string) => void = () => undefined): Promise<OrphanFigures> {
  const stack = await startTrialStack('orphan');
  const procs: TrialProcess[] = [];
  try {
    const worker = startMyelinProcess(TRIAL_WORKER_FLAGS, stack.env);
    procs.push(worker);
    await until('the worker ready', () => /ready: queues/.test(worker.out), 90_000);
    const file = trialPipeline(stack.dir, { name: 'orphan', epochs: 8, units: 1024, batchSize: 4 });
    const run = startMyelinProcess(['run', file, '--json', '--no-cache'], stack.env);
    procs.push(run);
    let runId = '';
    await until(
      'two epochs trained',
      () => {
        const m = /epoch train (r-[0-9a-z]+) ([2-9])\//.exec(worker.out);
        if (m) runId = m[1]!;
        return m !== null;
      },
      180_000,
    );
    const trainers = await childPids(worker.child.pid!);
    const killedAt = Date.now();
    worker.child.kill('SIGKILL');
    await worker.exited;
    // the last epoch the worker reported: its trainer had finished it (and sent its records) by then
    const reported = Math.max(
      ...[...worker.out.matchAll(/epoch train r-[0-9a-z]+ (\d+)\//g)].map((m) => Number(m[1])),
    );
    log(`worker SIGKILLed after reporting epoch ${reported}; trainers ${trainers.join(', ')}`);
    // bounded: a trainer that outlived its worker would finish its epoch (a second or more) and write
    for (let i = 0; i < 500 && (await Promise.all(trainers.map(pidAlive))).some(Boolean); i++)
      await sleep(10);
    const outlivedMs = Date.now() - killedAt;
    const survivors = (await Promise.all(trainers.map(pidAlive))).filter(Boolean).length;
    await sleep(3000); // what a surviving trainer would write (its next epoch), it would have written by now
    const writesAfterKill = (await stack.meta.listEpochs(runId, 'train')).filter(
      (e) => e.epoch > reported,
    ).length;
    const next = startMyelinProcess(TRIAL_WORKER_FLAGS, stack.env);
    procs.push(next);
    await run.exited;
    const summary = lastJson<{ status: string; runId: string }>(run.out);
    const train = (await stack.meta.getRun(summary.runId))?.steps.find((s) => s.name === 'train');
    return {
      trainers: trainers.length,
      survivors,
      outlivedMs,
      writesAfterKill,
      status: summary.status,
      resumedFromEpoch: Number(train?.outputs?.resumedFromEpoch ?? 0),
    };
  } finally {
    await killAll(procs);
    await stack.close();
  }
}
