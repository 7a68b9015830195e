import { describe, expect, it } from 'vitest';
import { orphanTrial } from './trials/orphan-trial.js';
import { redisLossTrial } from './trials/redis-loss-trial.js';
import { sigkillTrial } from './trials/sigkill-trial.js';
import { TRIAL_SIZES } from './trials/trial-sizes.js';

// Issue 12's fault trials, as bounded loops on loopback (its own redis-server, SQLite, files).
// Bigger loops: `npm run trial -w @myelin/e2e -- sigkill --long`.
const log = (line: string) => console.log(line);

describe('no run is left behind', () => {
  it(`SIGKILL loop: ${TRIAL_SIZES.ci.kills} workers killed mid-training, every run completes once with the reference weights`, async () => {
    const f = await sigkillTrial({ kills: TRIAL_SIZES.ci.kills, log });
    console.log(
      `SIGKILL loop: kills tried ${f.kills}, runs ${f.runs}: survived ${f.survived}, lost ${f.lost}; ` +
        `resumed from a checkpoint ${f.resumed}; duplicate versions ${f.duplicateVersions}; ` +
        `weights bit-identical ${f.weightsIdentical}/${f.kills}; trainers alive at takeover ${f.orphansAtTakeover}`,
    );
    expect(f.kills).toBeGreaterThanOrEqual(TRIAL_SIZES.ci.kills);
    expect(f.lost).toBe(0);
    expect(f.survived).toBe(f.runs);
    expect(f.duplicateVersions).toBe(0);
    expect(f.weightsIdentical).toBe(f.kills);
    expect(f.orphansAtTakeover).toBe(0);
  }, 1_200_000);

  it('a SIGKILLed worker takes its sandboxed trainer with it: nothing is written after the kill', async () => {
    const f = await orphanTrial(log);
    console.log(
      `orphaned trainer: trainers ${f.trainers}, survived the kill ${f.survivors} (gone about ${f.outlivedMs} ms after it), writes after the kill ${f.writesAfterKill}; run ${f.status}, resumed from epoch ${f.resumedFromEpoch}`,
    );
    expect(f.trainers).toBeGreaterThanOrEqual(1);
    expect(f.survivors).toBe(0);
    expect(f.writesAfterKill).toBe(0);
    expect(f.status).toBe('succeeded');
    expect(f.resumedFromEpoch).toBeGreaterThan(0);
  }, 600_000);

  it('Redis loses its jobs while the API restarts: the running and the queued run both complete', async () => {
    const f = await redisLossTrial(log);
    console.log(
      `Redis loss: runs tried ${f.tried}: survived ${f.survived}, lost ${f.lost} (before ${JSON.stringify(f.before)}, after ${JSON.stringify(f.after)}); ` +
        `training resumed from epoch ${f.resumedFromEpoch}; finished steps run again ${f.rerunSteps}; duplicate versions ${f.duplicateVersions}`,
    );
    expect(Object.values(f.before).sort()).toEqual(['queued', 'running']);
    expect(f.survived).toBe(2);
    expect(f.lost).toBe(0);
    expect(f.resumedFromEpoch).toBeGreaterThan(0);
    expect(f.rerunSteps).toBe(0);
    expect(f.duplicateVersions).toBe(0);
  }, 600_000);
});
