import type * as z from 'zod';
import { SPEC_DEFAULTS } from '../defaults.js';
import { cronProblem } from './cron.js';
import { driftMetric } from './drift-metric.js';
import { bool, positiveInt, positiveNumber, str } from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

const D = SPEC_DEFAULTS.monitor;

/** Drift watching on live traffic. */
export const monitorDriftSchema = mapping({
  metric: driftMetric().default(D.drift.metric).describe('Drift statistic per feature.'),
  threshold: positiveNumber().default(D.drift.threshold).describe('Drift above this value raises an alert.'),
  window: positiveInt()
    .default(D.drift.window)
    .describe('Number of recent requests compared with the training data.'),
});

/** When to retrain. */
export const retrainSchema = mapping({
  onDrift: bool().default(D.retrain.onDrift).describe('Start a new run when drift passes the threshold.'),
  schedule: str('a 5-field cron expression, e.g. "0 3 * * 1"')
    .superRefine((expression, ctx) => {
      const problem = cronProblem(expression);
      if (problem) addSpecIssue(ctx, [], problem);
    })
    .optional()
    .describe(
      'Also retrain on this 5-field cron schedule (minute hour day-of-month month day-of-week), e.g. "0 3 * * 1".',
    ),
});

/** The `monitor:` section: drift and retraining of the deployed model. */
export const monitorSectionSchema = mapping({
  drift: monitorDriftSchema.prefault({}).describe('Drift watching on live traffic.'),
  retrain: retrainSchema.optional().describe('When to retrain.'),
});

export type MonitorSection = z.output<typeof monitorSectionSchema>;
export type MonitorDrift = z.output<typeof monitorDriftSchema>;
export type RetrainSettings = z.output<typeof retrainSchema>;
