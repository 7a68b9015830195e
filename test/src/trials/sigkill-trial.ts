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

/** What the SIGKILL loop measured. */
export interface SigkillFigures {
  /** Workers SIGKILLed while they trained a run. */
  kills: number;
  /** Runs started (the reference run and one per kill). */
  runs: number;
  /** Runs that ended succeeded. */
  survived: number;
  /** Runs that ended otherwise. */
  lost: number;
  /** Kills after which training resumed from a checkpoint on another worker. */
  resumed: number;
  /** Models with more than one version (each run registers its own model once). */
  duplicateVersions: number;
  /** Killed runs whose trained weights are the same bytes as the reference run's. */
  weightsIdentical: number;
  /** Sandboxed trainers of a killed worker still alive when another worker took their job over. */
  orphansAtTakeover: number;
}

/** Options of {@link sigkillTrial}. */
export interface SigkillTrialOptions {
  /** Workers to SIGKILL, one per run. */
  kills: number;
  /** Epochs per run. @defaultValue 60 */
  epochs?: number;
  /** Where progress lines go. @defaultValue nowhere */
  log?: (line: string) => void;
}

interface RunSummary {
  status: string;
  runId: string;
  error: { code: string; message: string } | null;
}

/**
 * The SIGKILL loop: two `myelin worker` processes on a fresh Redis; a reference run trains
 * undisturbed; then, `kills` times, a run starts and the worker training it is SIGKILLed at a
 * different epoch each time (a replacement worker starts at once). Every run must complete, each
 * registered once, its weights bit-identical to the reference run's (training resumed from its
 * checkpoint is the same computation), and the killed worker's sandboxed trainer must be gone
 * before another worker takes its job over.
 */
export async function sigkillTrial(opts: SigkillTrialOptions): Promise<SigkillFigures> {
  const log = opts.log ?? (() => undefined);
  const epochs = opts.epochs ?? 60;
  const stack = await startTrialStack('sigkill');
  const procs: TrialProcess[] = [];
  const workers: TrialProcess[] = [];
  const startWorker = () => {
    const w = startMyelinProcess(TRIAL_WORKER_FLAGS, stack.env);
    procs.push(w);
    workers.push(w);
    return w;
  };
  const figures: SigkillFigures = {
    kills: 0,
    runs: 0,
    survived: 0,
    lost: 0,
    resumed: 0,
    duplicateVersions: 0,
    weightsIdentical: 0,
    orphansAtTakeover: 0,
  };
  const weightsOf = async (runId: string) =>
    (await stack.meta.getRun(runId))?.steps.find((s) => s.name === 'train')?.outputs?.weights;
  const run = async (name: string): Promise<{ proc: TrialProcess; file: string }> => {
    const file = trialPipeline(stack.dir, { name, epochs });
    const proc = startMyelinProcess(['run', file, '--json', '--no-cache'], stack.env);
    procs.push(proc);
    figures.runs++;
    return { proc, file };
  };
  const settle = async (proc: TrialProcess, name: string): Promise<RunSummary> => {
    await proc.exited;
    const summary = lastJson<RunSummary>(proc.out);
    if (summary.status === 'succeeded') figures.survived++;
    else figures.lost++;
    const versions = (await stack.meta.getModel(name))?.versions.length ?? 0;
    if (versions > 1) figures.duplicateVersions++;
    log(
      `${name}: ${summary.status}${summary.error ? ` (${summary.error.code}: ${summary.error.message})` : ''}, ${versions} version(s)`,
    );
    return summary;
  };
  try {
    startWorker();
    startWorker();
    await until(
      'two workers ready',
      () => workers.filter((w) => /ready: queues/.test(w.out)).length >= 2,
      90_000,
    );
    const ref = await run('sk-ref');
    const refSummary = await settle(ref.proc, 'sk-ref');
    const refWeights = await weightsOf(refSummary.runId);
    const seen = new Set<string>([refSummary.runId]);
    for (let i = 1; i <= opts.kills; i++) {
      const name = `sk-${i}`;
      const at = 3 + ((i * 7) % Math.max(1, Math.floor(epochs / 2)));
      const { proc } = await run(name);
      let victim: TrialProcess | undefined;
      let runId = '';
      const epochLine = /epoch train (r-[0-9a-z]+) (\d+)\//g;
      await until(`${name} training past epoch ${at}`, () => {
        for (const w of workers) {
          if (!w.alive()) continue;
          for (const m of w.out.matchAll(epochLine)) {
            if (!seen.has(m[1]!) && Number(m[2]) >= at) {
              victim = w;
              runId = m[1]!;
              return true;
            }
          }
        }
        return !proc.alive();
      });
      if (!victim) {
        await settle(proc, name);
        continue;
      }
      seen.add(runId);
      const trainers = await childPids(victim.child.pid!);
      victim.child.kill('SIGKILL');
      await victim.exited;
      figures.kills++;
      log(`kill ${i}: worker ${victim.child.pid} SIGKILLed while training ${runId} past epoch ${at}`);
      const fresh = startWorker();
      // the job's next attempt: the killed trainer must be gone by then
      const takeover = new RegExp(`start train ${runId} attempt [2-9]`);
      await until(
        `another worker taking ${runId} over`,
        () => workers.some((w) => takeover.test(w.out)) || !proc.alive(),
        120_000,
      );
      for (const pid of trainers) if (await pidAlive(pid)) figures.orphansAtTakeover++;
      const summary = await settle(proc, name);
      const train = (await stack.meta.getRun(summary.runId))?.steps.find((s) => s.name === 'train');
      if (train && train.attempt >= 2 && Number(train.outputs?.resumedFromEpoch ?? 0) > 0) figures.resumed++;
      if (refWeights !== undefined && (await weightsOf(summary.runId)) === refWeights)
        figures.weightsIdentical++;
      await until('the replacement worker ready', () => /ready: queues/.test(fresh.out), 90_000);
    }
    return figures;
  } finally {
    await killAll(procs);
    await stack.close();
  }
}
