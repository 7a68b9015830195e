import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue, RunWithSteps } from '../metadata-records.js';
import { runRecordFixture } from '../testing/run-record-fixture.js';
import { readTrials } from './read-trials.js';

function runWithTrain(outputs: JsonObject | null): RunWithSteps {
  const base = { runId: 'r-1', createdAt: 1, startedAt: 1, finishedAt: 2, attempt: 1, logs: '', error: null };
  return {
    ...runRecordFixture(),
    steps: [
      {
        ...base,
        name: 'validate',
        status: 'succeeded',
        outputs: { trials: 'not this step' },
        cacheKey: null,
        leaseUntil: null,
      },
      { ...base, name: 'train', status: 'succeeded', outputs, cacheKey: null, leaseUntil: null },
    ],
  };
}

const tune: JsonObject = {
  strategy: 'random',
  metric: 'accuracy',
  direction: 'max',
  bestTrial: 1,
  bestParams: { lr: 0.01 },
  bestMetric: 0.9,
};

describe('readTrials', () => {
  it('reads the train step trials and tune outcome, a null curve point (NaN in JSON) kept as null', () => {
    const trials: JsonObject[] = [
      {
        index: 0,
        params: { lr: 0.1 },
        status: 'pruned',
        metric: null,
        epochsRun: 2,
        rung: 2,
        curve: [1.2, null],
      },
      {
        index: 1,
        params: { lr: 0.01, act: 'relu' },
        status: 'succeeded',
        metric: 0.9,
        epochsRun: 3,
        rung: null,
        curve: [1, 0.8, 0.7],
      },
      {
        index: 2,
        params: { lr: 1 },
        status: 'failed',
        metric: null,
        epochsRun: 0,
        rung: null,
        curve: [],
        error: 'diverged',
      },
    ];
    expect(readTrials(runWithTrain({ tune, trials }))).toEqual({ tune, trials });
  });

  it('leaves out records without a trial shape and a tune output without its fields', () => {
    const good: JsonObject = {
      index: 0,
      params: { lr: 0.1 },
      status: 'succeeded',
      metric: 0.5,
      epochsRun: 1,
      rung: null,
      curve: [0.4],
    };
    const trials: JsonValue[] = [
      good,
      { index: 'one', status: 'succeeded' },
      { ...good, status: 'lost' },
      { ...good, params: { lr: [1] } },
      7,
    ];
    expect(readTrials(runWithTrain({ tune: { metric: 'accuracy' }, trials }))).toEqual({
      tune: null,
      trials: [good],
    });
  });

  it('has no trials for a run without tune: or without a train step output', () => {
    expect(readTrials(runWithTrain({ model: 'sha256/ab' }))).toEqual({ tune: null, trials: [] });
    expect(readTrials(runWithTrain(null))).toEqual({ tune: null, trials: [] });
  });
});
