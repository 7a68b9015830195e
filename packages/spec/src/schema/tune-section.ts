import * as z from 'zod';
import { expected, listOf, num, oneOf, positiveInt, nonNegativeInt, str } from './fields.js';
import { METRICS } from './evaluate-section.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

/** Search strategies: every combination, seeded random draws, or random draws early-stopped at epoch rungs (ASHA). */
export const TUNE_STRATEGIES = ['grid', 'random', 'asha'] as const;
export type TuneStrategy = (typeof TUNE_STRATEGIES)[number];

const range = () =>
  z
    .tuple([num(), num()], { error: expected('a pair [low, high] of numbers') })
    .superRefine(([lo, hi], ctx) => {
      if (!(lo < hi)) addSpecIssue(ctx, [], `expected low < high, got [${lo}, ${hi}]`);
    });

const DISTRIBUTIONS = ['logUniform', 'uniform', 'int', 'choice'] as const;

/** One dimension of the search space: exactly one of logUniform, uniform, int or choice. */
export const searchDimensionSchema = mapping({
  logUniform: range()
    .superRefine(([lo], ctx) => {
      if (lo <= 0) addSpecIssue(ctx, [], `a log-uniform range needs low > 0, got ${lo}`);
    })
    .optional()
    .describe('Draw from [low, high] uniformly on a log scale (learning rates, penalties).'),
  uniform: range().optional().describe('Draw from [low, high] uniformly.'),
  int: z
    .tuple([num({ int: true }), num({ int: true })], { error: expected('a pair [low, high] of integers') })
    .superRefine(([lo, hi], ctx) => {
      if (!(lo < hi)) addSpecIssue(ctx, [], `expected low < high, got [${lo}, ${hi}]`);
    })
    .optional()
    .describe('Draw a whole number from [low, high], both included.'),
  choice: listOf(z.union([num(), str(), z.boolean()], { error: expected('a number, a string or true/false') }), 'a list of values')
    .min(1, { error: expected('at least one value') })
    .optional()
    .describe('Pick one of these values.'),
}).superRefine((d, ctx) => {
  const given = DISTRIBUTIONS.filter((k) => d[k] !== undefined);
  if (given.length !== 1) {
    addSpecIssue(
      ctx,
      [],
      given.length === 0
        ? `a search dimension needs one of ${DISTRIBUTIONS.join(', ')}`
        : `a search dimension takes one of ${DISTRIBUTIONS.join(', ')}, got ${given.join(' and ')}`,
      { unlessUnknownKeys: true },
    );
  }
});

/** The `tune:` section: a hyperparameter search whose best trial the pipeline evaluates and registers. */
export const tuneSectionSchema = mapping({
  strategy: oneOf(TUNE_STRATEGIES).default('random').describe('grid, random or asha (random with early stopping at epoch rungs).'),
  space: z
    .record(str('a field path such as train.optimizer.learningRate'), searchDimensionSchema, {
      error: expected('a mapping of field path to search dimension'),
    })
    .refine((s) => Object.keys(s).length > 0, { error: 'the search space names no field' })
    .describe('Field of train or model (e.g. train.optimizer.learningRate, model.layers[0].units) → its range.'),
  objective: mapping({
    metric: oneOf(METRICS)
      .optional()
      .describe('Evaluation metric measured on the validation split; accuracy (r2 for regression) when omitted.'),
    direction: oneOf(['max', 'min']).optional().describe('max or min; follows from the metric when omitted.'),
  })
    .prefault({})
    .describe('What makes a trial best.'),
  maxTrials: positiveInt().max(1000, { error: expected('at most 1000 trials') }).default(16).describe('Most trials.'),
  parallelism: positiveInt().max(64, { error: expected('at most 64') }).default(1).describe('Trials that run at once.'),
  seed: nonNegativeInt().default(0).describe('Seed of the random draws.'),
  asha: mapping({
    minEpochs: positiveInt().default(5).describe('Epochs of the first rung.'),
    reductionFactor: num({ int: true, min: 2 }).default(3).describe('Keep 1 in this many trials at each rung.'),
  })
    .prefault({})
    .describe('Rungs of the asha strategy: at epoch minEpochs·factor^k a trial outside the best 1/factor stops.'),
});

export type TuneSection = z.output<typeof tuneSectionSchema>;
export type SearchDimension = z.output<typeof searchDimensionSchema>;
