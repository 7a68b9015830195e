import type { RetrainClaim, RetrainTriggerRecord, RunRecord } from '@myelin/registry';

/** Everything the retrain controller knows when a drift event of a deployed version comes in. */
export interface RetrainFacts {
  model: string;
  version: number;
  /** The run that trained the version (null: the model has no pipeline run recorded). */
  parentRun: RunRecord | null;
  /** `monitor.retrain.onDrift` of that run's pipeline; null when its spec cannot be read. */
  onDrift: boolean | null;
  /** The drift event of this version that already started a retraining, if any. */
  startedForVersion: RetrainTriggerRecord | null;
  /** The model's retraining claim, if it ever had one. */
  claim: RetrainClaim | null;
  /** Whether the claim's run is still queued or running (a claim with no run yet counts as running). */
  claimRunActive: boolean;
  /** When the drift event was recorded (epoch ms). */
  eventTs: number;
  now: number;
  cooldownMs: number;
  /** Drift events older than this are not acted on (e.g. recorded while no API ran). */
  maxEventAgeMs: number;
}

/** Start one retraining run, or not, and why. */
export type RetrainVerdict = { start: true; reason: string } | { start: false; reason: string };

/**
 * The debounce rules of drift retraining, in order: the model must have a pipeline run whose
 * `monitor.retrain.onDrift` is on; a version trained by a drift retraining does not start another
 * one on drift (no loop when the retrained model drifts too); one run per drift episode (a version
 * drifts once as far as retraining goes); never two at once for one model; none within the
 * cooldown after the last one; no action on stale events.
 *
 * @example
 * decideRetrain({ ...facts, onDrift: true }) // { start: true, reason: 'drift of m@3 …' }
 */
export function decideRetrain(f: RetrainFacts): RetrainVerdict {
  const at = `${f.model}@${f.version}`;
  if (!f.parentRun)
    return { start: false, reason: `${at} has no pipeline run recorded: drift logged, nothing to retrain` };
  if (f.onDrift === null)
    return {
      start: false,
      reason: `the pipeline of run ${f.parentRun.id} that trained ${at} cannot be read: nothing retrained`,
    };
  if (!f.onDrift)
    return { start: false, reason: `monitor.retrain.onDrift is off in pipeline ${f.parentRun.pipeline}` };
  if (f.parentRun.trigger === 'drift')
    return {
      start: false,
      reason: `${at} was itself trained by drift retraining (run ${f.parentRun.id}) and drifts too: not retraining again (loop guard); retrain it by hand or on its schedule`,
    };
  if (f.now - f.eventTs > f.maxEventAgeMs)
    return {
      start: false,
      reason: `the drift event is ${Math.round((f.now - f.eventTs) / 1000)} s old: too old to act on`,
    };
  if (f.startedForVersion)
    return {
      start: false,
      reason: `this drift episode of ${at} already started run ${f.startedForVersion.runId ?? '(starting)'}`,
    };
  if (f.claim && f.claimRunActive)
    return {
      start: false,
      reason: `retraining run ${f.claim.runId ?? '(starting)'} of ${f.model} has not ended: one at a time`,
    };
  if (f.claim && f.now - f.claim.claimedAt < f.cooldownMs) {
    const until = new Date(f.claim.claimedAt + f.cooldownMs).toISOString();
    return {
      start: false,
      reason: `cooldown: ${f.model} was retrained at ${new Date(f.claim.claimedAt).toISOString()}, next one after ${until}`,
    };
  }
  return { start: true, reason: `drift of ${at} (pipeline ${f.parentRun.pipeline}, run ${f.parentRun.id})` };
}
