import { describe, expect, it } from 'vitest';
import { exfiltrationTrial } from './trials/exfiltration-trial.js';
import { fuzzApiTrial } from './trials/fuzz-api-trial.js';
import { fuzzSpecTrial } from './trials/fuzz-spec-trial.js';
import { TRIAL_SIZES } from './trials/trial-sizes.js';

// Issue 12's abuse trials on loopback. Bigger loops: `npm run trial -w @myelin/e2e -- fuzz-api --long`.
const log = (line: string) => console.log(line);

describe('no data leaves its folder; bad input is a located 4xx, never a crash', () => {
  it('every exfiltration attempt through POST /api/runs is refused at submission, naming the field', async () => {
    const f = await exfiltrationTrial(log);
    console.log(
      `exfiltration: tried ${f.tried}, refused ${f.refused}, accepted ${f.accepted}, leaked ${f.leaked}, runs recorded ${f.runsRecorded}`,
    );
    expect(f.failures).toEqual([]);
    expect(f.refused).toBe(f.tried);
    expect(f.leaked).toBe(0);
    expect(f.runsRecorded).toBe(0);
  });

  it(`${TRIAL_SIZES.ci.bodies} fuzzed HTTP requests: never a 5xx, always a located error, the server alive`, async () => {
    const f = await fuzzApiTrial({ bodies: TRIAL_SIZES.ci.bodies });
    console.log(
      `fuzzed HTTP: tried ${f.tried}, located 4xx ${f.located}, 2xx ${f.accepted}, failures ${f.failures}, server alive ${f.alive}`,
    );
    expect(f.examples).toEqual([]);
    expect(f.failures).toBe(0);
    expect(f.located + f.accepted).toBe(f.tried);
    expect(f.alive).toBe(true);
  });

  it(`${TRIAL_SIZES.ci.files} mutated pipeline files: the spec loader never crashes, every error is located`, async () => {
    const f = await fuzzSpecTrial({ files: TRIAL_SIZES.ci.files });
    console.log(
      `mutated pipelines: tried ${f.tried}, valid ${f.valid}, located errors ${f.located}, crashes ${f.crashes}`,
    );
    expect(f.examples).toEqual([]);
    expect(f.crashes).toBe(0);
    expect(f.valid + f.located).toBe(f.tried);
    expect(f.located).toBeGreaterThan(0);
  });
});
