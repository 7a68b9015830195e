import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { killAll, startMyelinProcess, until, type TrialProcess } from './trial-processes.js';
import { startTrialStack, TRIAL_WORKER_FLAGS, trialPipeline } from './trial-stack.js';

/** What the Redis-loss sequence measured. */
export interface RedisLossFigures {
  /** Runs in flight when Redis lost its jobs (one running, one queued). */
  tried: number;
  /** Of them, ended succeeded. */
  survived: number;
  /** Of them, ended otherwise, or still not ended at the deadline. */
  lost: number;
  /** Status of each run just before Redis lost its keys, by run id. */
  before: Record<string, string>;
  /** Final status of each run, by run id. */
  after: Record<string, string>;
  /** Train attempts of the running run and the epoch it resumed from. */
  resumedFromEpoch: number;
  /** Steps run again that had finished before the loss (should be 0: recovery starts at the next step). */
  rerunSteps: number;
  /** Models with more than one version. */
  duplicateVersions: number;
}

/**
 * The sequence of issue 12: one `myelin worker` (concurrency 1) and `myelin api`; run A is
 * training (`running`), run B waits behind it (`queued`); the API is SIGKILLed, Redis loses every
 * key (FLUSHALL: a restart without persistence), the API starts again. No process follows the runs
 * any more; the run reconciler (leader-elected among the API and the worker) must find both and
 * re-enqueue them from their last finished step, so both complete.
 */
export async function redisLossTrial(
  log: (line: string) => void = () => undefined,
): Promise<RedisLossFigures> {
  const stack = await startTrialStack('redisloss');
  const procs: TrialProcess[] = [];
  const api = () => {
    const p = startMyelinProcess(
      ['api', '--port', '0', '--pipelines-dir', stack.dir, '--reconcile-interval-ms', '1000'],
      stack.env,
    );
    procs.push(p);
    return p;
  };
  const urlOf = async (p: TrialProcess) => {
    await until('the API listening', () => /listening on http:\/\/\S+/.test(p.out), 90_000);
    return /listening on (http:\/\/\S+)/.exec(p.out)![1]!;
  };
  try {
    const worker = startMyelinProcess(TRIAL_WORKER_FLAGS, stack.env);
    procs.push(worker);
    const first = api();
    const url = await urlOf(first);
    await until('the worker ready', () => /ready: queues/.test(worker.out), 90_000);
    const submit = async (name: string, epochs: number) => {
      const spec = readFileSync(trialPipeline(stack.dir, { name, epochs, units: 128 }), 'utf8');
      const res = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ spec, file: `${name}.yaml`, noCache: true }),
      });
      if (res.status !== 202) throw new Error(`submit ${name}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { runId: string }).runId;
    };
    const a = await submit('loss-a', 60);
    const b = await submit('loss-b', 6);
    await until(
      `${a} training`,
      () => new RegExp(`epoch train ${a} ([4-9]|\\d\\d)/`).test(worker.out),
      180_000,
    );
    const before: Record<string, string> = {};
    for (const id of [a, b]) before[id] = (await stack.meta.getRun(id))!.status;
    const doneBefore = new Map(
      (await stack.meta.getRun(a))!.steps
        .filter((s) => s.status === 'succeeded')
        .map((s) => [s.name, s.attempt]),
    );
    log(`before the loss: ${JSON.stringify(before)}`);
    // the API dies, Redis loses its jobs, the API comes back
    first.child.kill('SIGKILL');
    await first.exited;
    const redis = new Redis(stack.redis.url);
    await redis.flushall();
    redis.disconnect();
    const second = api();
    await urlOf(second);
    const after: Record<string, string> = {};
    const ended = async () => {
      for (const id of [a, b]) after[id] = (await stack.meta.getRun(id))!.status;
      return Object.values(after).every((s) => s === 'succeeded' || s === 'failed' || s === 'cancelled');
    };
    await until('both runs ended', ended, 300_000).catch(() => undefined);
    log(`after: ${JSON.stringify(after)}`);
    const runA = (await stack.meta.getRun(a))!;
    let rerunSteps = 0;
    for (const [name, attempt] of doneBefore)
      if ((runA.steps.find((s) => s.name === name)?.attempt ?? 0) !== attempt) rerunSteps++;
    let duplicateVersions = 0;
    for (const name of ['loss-a', 'loss-b'])
      if (((await stack.meta.getModel(name))?.versions.length ?? 0) > 1) duplicateVersions++;
    const survived = Object.values(after).filter((s) => s === 'succeeded').length;
    return {
      tried: 2,
      survived,
      lost: 2 - survived,
      before,
      after,
      resumedFromEpoch: Number(runA.steps.find((s) => s.name === 'train')?.outputs?.resumedFromEpoch ?? 0),
      rerunSteps,
      duplicateVersions,
    };
  } finally {
    await killAll(procs);
    await stack.close();
  }
}
