import * as z from 'zod';
import { SPEC_DEFAULTS } from '../defaults.js';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { expected, nonNegativeNumber, num, oneOf, str } from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

const D = SPEC_DEFAULTS.deploy;
const durationError = expected('a duration like 30s, 10m, 1h or a number of seconds');

/** A duration: `10m`, `30s`, `1h`, `2d`, or a number of seconds. Resolved to seconds. */
export const durationSchema = z
  .union(
    [
      z.string({ error: durationError }).regex(DURATION_PATTERN, { error: durationError }),
      z.number({ error: durationError }).positive({ error: durationError }),
    ],
    { error: durationError },
  )
  .transform((value) => (typeof value === 'number' ? value : (parseDuration(value) as number)));

/** Canary (or shadow) rollout settings. */
export const canarySchema = mapping({
  traffic: num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }).describe(
    'Fraction of requests sent (or mirrored) to the new version.',
  ),
  duration: durationSchema.describe(
    'How long the rollout watches before promoting, e.g. 10m; resolved to seconds.',
  ),
  maxErrorRateIncrease: nonNegativeNumber()
    .optional()
    .describe('Roll back if the error rate rises by more than this (absolute).'),
  maxLatencyP95Increase: nonNegativeNumber()
    .optional()
    .describe('Roll back if p95 latency rises by more than this fraction (0.2 = 20%).'),
  maxDivergence: nonNegativeNumber()
    .optional()
    .describe('Roll back if predictions differ from the champion on more than this fraction.'),
});

/** The `deploy:` section: which alias serves the model and how a new version rolls out. */
export const deploySectionSchema = mapping({
  alias: str('an alias').default(D.alias).describe('Alias the deployed version takes.'),
  strategy: oneOf(['direct', 'canary', 'shadow'])
    .default(D.strategy)
    .describe(
      'direct swaps at once; canary sends a share of traffic; shadow mirrors traffic without answering with it.',
    ),
  canary: canarySchema.optional().describe('Settings of a canary or shadow rollout.'),
}).superRefine((deploy, ctx) => {
  if (deploy.strategy === 'canary' && deploy.canary === undefined) {
    addSpecIssue(ctx, ['strategy'], 'strategy: canary needs a canary: { traffic, duration } block');
  }
  if (deploy.strategy === 'direct' && deploy.canary !== undefined) {
    addSpecIssue(ctx, ['canary'], 'canary settings need strategy: canary or shadow');
  }
});

export type DeploySection = z.output<typeof deploySectionSchema>;
export type CanarySettings = z.output<typeof canarySchema>;
