import { describe, expect, it } from 'vitest';
import type { Anomaly } from '@myelin/data';
import { validationVerdict } from './validation-verdict.js';
import { earlyStoppingNotice } from './train-step.js';

const anomaly = (severity: Anomaly['severity']): Anomaly => ({
  column: 'y',
  rule: 'targetMissing',
  severity,
  count: 1,
  message: '1 row(s) have no target value',
  exampleRows: [3],
});

describe('validationVerdict', () => {
  it('never calls data with errors "valid": under onFailure: warn it says the run goes on', () => {
    expect(validationVerdict('warned', [anomaly('error')])).toEqual({
      tone: 'warn',
      text: '1 error: validate.onFailure is warn, so a run goes on',
    });
    expect(validationVerdict('warned', [anomaly('error'), anomaly('warning'), anomaly('warning')]).text).toBe(
      '1 error and 2 warnings: validate.onFailure is warn, so a run goes on',
    );
  });

  it('says valid only without errors, and invalid when the run stops', () => {
    expect(validationVerdict('passed', [])).toEqual({ tone: 'ok', text: 'valid' });
    expect(validationVerdict('warned', [anomaly('warning')]).text).toBe('valid, with 1 warning');
    expect(validationVerdict('failed', [anomaly('error'), anomaly('error')])).toMatchObject({
      tone: 'fail',
      text: 'invalid data: 2 errors; validate.onFailure is fail, so a run stops here',
    });
  });
});

describe('earlyStoppingNotice', () => {
  const train = { epochs: 100, earlyStopping: { monitor: 'val_loss', patience: 5 } };

  it('says when training stopped and which epoch the model keeps', () => {
    expect(earlyStoppingNotice(train, { epochsRun: 23, stoppedEarly: true, restoredEpoch: 18 })).toBe(
      'early stopping: stopped after epoch 23 of 100, val_loss did not improve for 5 epochs; kept the weights of epoch 18, the best val_loss (restoreBestWeights)',
    );
    expect(earlyStoppingNotice(train, { epochsRun: 23, stoppedEarly: true })).toMatch(
      /kept the weights of the last epoch, 23$/,
    );
    expect(earlyStoppingNotice(train, { epochsRun: 100, stoppedEarly: false, restoredEpoch: 97 })).toBe(
      'early stopping: ran all 100 epochs; kept the weights of epoch 97, the best val_loss (restoreBestWeights)',
    );
  });

  it('says nothing when every epoch ran and the last is kept', () => {
    expect(earlyStoppingNotice(train, { epochsRun: 100, stoppedEarly: false })).toBeUndefined();
  });
});
