import { describe, expect, it } from 'vitest';
import type { RunRecord } from '@myelin/registry';
import { runRecordFixture } from '@myelin/registry/testing';
import { decideRetrain, type RetrainFacts } from './decide-retrain.js';

const run = (over: Partial<RunRecord> = {}): RunRecord =>
  runRecordFixture({ specFile: '/x/p.yaml', ...over });

const NOW = 10_000_000;
const base: RetrainFacts = {
  model: 'm',
  version: 2,
  parentRun: run(),
  onDrift: true,
  startedForVersion: null,
  claim: null,
  claimRunActive: false,
  eventTs: NOW - 1000,
  now: NOW,
  cooldownMs: 3_600_000,
  maxEventAgeMs: 3_600_000,
};

describe('decideRetrain', () => {
  it('starts a run for a fresh drift of a version whose pipeline asks for it', () => {
    expect(decideRetrain(base)).toEqual({ start: true, reason: 'drift of m@2 (pipeline p, run r-1)' });
  });

  it('ignores a model with no pipeline, an unreadable pipeline, and onDrift off', () => {
    expect(decideRetrain({ ...base, parentRun: null }).reason).toMatch(/no pipeline run recorded/);
    expect(decideRetrain({ ...base, onDrift: null }).reason).toMatch(/cannot be read/);
    expect(decideRetrain({ ...base, onDrift: false }).reason).toMatch(/onDrift is off/);
  });

  it('never loops: a version trained on drift does not retrain on drift', () => {
    const v = decideRetrain({ ...base, parentRun: run({ trigger: 'drift' }) });
    expect(v.start).toBe(false);
    expect(v.reason).toMatch(/loop guard/);
  });

  it('one run per episode, one at a time, and none within the cooldown', () => {
    const started = {
      eventId: 1,
      model: 'm',
      version: 2,
      parentRunId: 'r-1',
      pipeline: 'p',
      decision: 'started' as const,
      reason: '',
      runId: 'r-2',
      createdAt: 0,
    };
    expect(decideRetrain({ ...base, startedForVersion: started }).reason).toMatch(
      /episode of m@2 already started run r-2/,
    );
    const claim = { model: 'm', runId: 'r-2', claimedAt: NOW - 7_200_000 };
    expect(decideRetrain({ ...base, claim, claimRunActive: true }).reason).toMatch(
      /has not ended: one at a time/,
    );
    expect(decideRetrain({ ...base, claim: { ...claim, claimedAt: NOW - 60_000 } }).reason).toMatch(
      /^cooldown/,
    );
    expect(decideRetrain({ ...base, claim }).start).toBe(true);
    expect(
      decideRetrain({ ...base, claim: { ...claim, claimedAt: NOW - 60_000 }, cooldownMs: 0 }).start,
    ).toBe(true);
  });

  it('does not act on stale events', () => {
    expect(decideRetrain({ ...base, eventTs: NOW - 4_000_000 }).reason).toMatch(/too old/);
  });
});
