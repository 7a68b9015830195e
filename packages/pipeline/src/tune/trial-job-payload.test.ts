import { describe, expect, it } from 'vitest';
import { parseStepJobId } from '../queue/queue-names.js';
import { parseTrialJobPayload, trialJobId } from './trial-job-payload.js';

const good = {
  v: 1,
  runId: 'r-01jabcdef',
  step: 'train',
  trial: 3,
  specFile: '/pipelines/penguins.yaml',
  options: { allowOutside: false, noCache: false },
};

describe('trial job payload', () => {
  it('takes a well-formed payload and names the bad field of another', () => {
    expect(parseTrialJobPayload(good)).toEqual(good);
    expect(() => parseTrialJobPayload({ ...good, trial: -1 })).toThrow(
      expect.objectContaining({ code: 'MYELIN_ERR_QUEUE_PAYLOAD', location: { path: 'trial' } }),
    );
    expect(() => parseTrialJobPayload({ ...good, step: 'evaluate' })).toThrow(
      expect.objectContaining({ code: 'MYELIN_ERR_QUEUE_PAYLOAD', location: { path: 'step' } }),
    );
  });

  it('gives trial jobs ids that are never read as step job ids (the worker heartbeats those)', () => {
    expect(trialJobId('r-01jabc', 3)).toBe('trial-r-01jabc-3');
    expect(parseStepJobId(trialJobId('r-01jabc', 3))).toBeNull();
  });
});
