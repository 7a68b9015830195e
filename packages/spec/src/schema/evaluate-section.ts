import * as z from 'zod';
import { SPEC_DEFAULTS } from '../defaults.js';
import { didYouMean } from '@myelin/data/config';
import { expected, listOf, nonNegativeNumber, num, oneOf, str } from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

const D = SPEC_DEFAULTS.evaluate;

/** Metrics for classification tasks (binary, multiclass). */
export const CLASSIFICATION_METRICS = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'macroF1',
  'auroc',
  'logLoss',
  'ece',
] as const;
/** Metrics for regression tasks. */
export const REGRESSION_METRICS = ['mse', 'rmse', 'mae', 'r2'] as const;
/** Every metric the evaluate step computes. */
export const METRICS = [...CLASSIFICATION_METRICS, ...REGRESSION_METRICS] as const;
export type MetricName = (typeof METRICS)[number];

/** A bound on one metric: at least one of min and max. */
export const gateSchema = mapping({
  min: num().optional().describe('The metric must be at least this.'),
  max: num().optional().describe('The metric must be at most this.'),
}).superRefine((gate, ctx) => {
  if (gate.min === undefined && gate.max === undefined)
    addSpecIssue(ctx, [], 'a gate needs min, max or both');
  else if (gate.min !== undefined && gate.max !== undefined && gate.min > gate.max) {
    addSpecIssue(ctx, ['min'], `min (${gate.min}) is greater than max (${gate.max})`);
  }
});

/** The `evaluate:` section: metrics on the test split, gates, and comparison with the champion. */
export const evaluateSectionSchema = mapping({
  metrics: listOf(oneOf(METRICS), 'a list of metric names')
    .optional()
    .describe('Metrics to compute; by default those that fit the task. Gated metrics are always computed.'),
  gates: z
    .record(z.string(), gateSchema, { error: expected('a mapping of metric name to { min, max }') })
    .superRefine((gates, ctx) => {
      for (const name of Object.keys(gates)) {
        if (!(METRICS as readonly string[]).includes(name)) {
          addSpecIssue(ctx, [name], `unknown metric "${name}"${didYouMean(name, METRICS)}`, {
            myelinCode: 'MYELIN_ERR_SPEC_UNKNOWN_KEY',
          });
        }
      }
    })
    .default(() => ({ ...D.gates }))
    .describe('Bounds the model must meet, keyed by metric name, e.g. accuracy: { min: 0.95 }.')
    .meta({ propertyNames: { enum: [...METRICS] } }),
  compareTo: str('a model alias')
    .optional()
    .describe('Alias of the champion; fail if the new model is worse beyond tolerance.'),
  tolerance: nonNegativeNumber()
    .default(D.tolerance)
    .describe('How much worse than the champion is still accepted.'),
});

export type EvaluateSection = z.output<typeof evaluateSectionSchema>;
export type Gate = z.output<typeof gateSchema>;
