import * as z from 'zod';
import {
  OPTIMIZER_NAMES,
  type EarlyStoppingConfig,
  type LrScheduleConfig,
  type OptimizerConfig,
} from '@myelin/training/config';
import { SPEC_DEFAULTS } from '../defaults.js';
import {
  bool,
  expected,
  nonNegativeInt,
  nonNegativeNumber,
  num,
  oneOf,
  positiveInt,
  positiveNumber,
  str,
} from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

const D = SPEC_DEFAULTS.train;

/** Optimizer names, in the order they are listed in messages: those the trainer implements. */
export const OPTIMIZERS = OPTIMIZER_NAMES;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The optimizer and its learning rate. */
export const optimizerSchema = mapping({
  name: oneOf(OPTIMIZERS).default(D.optimizer.name).describe('Optimizer.'),
  learningRate: positiveNumber().default(D.optimizer.learningRate).describe('Initial learning rate.'),
  momentum: num({ min: 0, max: 1, maxExclusive: true })
    .optional()
    .describe('Momentum, in [0, 1); for the momentum and rmsprop optimizers.'),
}).superRefine((o, ctx) => {
  if (o.momentum !== undefined && o.name !== 'momentum' && o.name !== 'rmsprop') {
    addSpecIssue(ctx, ['momentum'], `momentum applies to the momentum and rmsprop optimizers, not ${o.name}`);
  }
}) satisfies z.ZodType<OptimizerConfig>;

/** Stop when the monitored value stops improving. */
export const earlyStoppingSchema = mapping({
  monitor: oneOf(['val_loss', 'val_accuracy', 'loss'])
    .default(D.earlyStopping.monitor)
    .describe('Value watched.'),
  patience: nonNegativeInt()
    .default(D.earlyStopping.patience)
    .describe('Epochs without improvement before stopping.'),
  minDelta: nonNegativeNumber()
    .default(D.earlyStopping.minDelta)
    .describe('Smallest change that counts as improvement.'),
  restoreBestWeights: bool()
    .default(D.earlyStopping.restoreBestWeights)
    .describe('Keep the weights of the best epoch.'),
}) satisfies z.ZodType<EarlyStoppingConfig>;

const SCHEDULE_TYPES = ['step', 'exponential', 'cosine'];

/** Says what is wrong with the `type` of a schedule (or that it is not a mapping). */
function scheduleError(issue: { input?: unknown }): string {
  const input = issue.input;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return expected(`a mapping with type: ${SCHEDULE_TYPES.join(', ')}`)(issue);
  }
  return expected(`one of ${SCHEDULE_TYPES.join(', ')}`)({ input: (input as Record<string, unknown>).type });
}

const decayFactor = () => num({ min: 0, max: 1, minExclusive: true });

/** How the learning rate changes over epochs. */
export const lrScheduleSchema = z.discriminatedUnion(
  'type',
  [
    mapping({
      type: z.literal('step'),
      every: positiveInt().describe('Epochs between steps.'),
      factor: decayFactor().describe('Multiplier applied at each step, in (0, 1].'),
    }),
    mapping({
      type: z.literal('exponential'),
      decay: decayFactor().describe('Multiplier applied every epoch, in (0, 1].'),
    }),
    mapping({
      type: z.literal('cosine'),
      minLearningRate: nonNegativeNumber().optional().describe('Learning rate at the end; 0 when omitted.'),
    }),
  ],
  { error: scheduleError },
) satisfies z.ZodType<LrScheduleConfig>;

/** Per-class loss weights: balanced, or a weight per class label. */
export const classWeightsSchema = z.union(
  [z.literal('balanced'), z.record(str('a class label'), positiveNumber())],
  { error: expected('balanced or a mapping of class label to positive weight') },
);

/** The `train:` section. */
export const trainSectionSchema = mapping({
  epochs: positiveInt().default(D.epochs).describe('Most epochs to train.'),
  batchSize: positiveInt().default(D.batchSize).describe('Rows per gradient step.'),
  optimizer: optimizerSchema.prefault({}).describe('Optimizer and learning rate.'),
  earlyStopping: earlyStoppingSchema.optional().describe('Stop when the monitored value stops improving.'),
  lrSchedule: lrScheduleSchema.optional().describe('Learning-rate schedule.'),
  clipNorm: positiveNumber().optional().describe('Clip gradients to this norm.'),
  clipValue: positiveNumber().optional().describe('Clip each gradient value to [-clipValue, clipValue].'),
  classWeights: classWeightsSchema
    .optional()
    .describe('Weight classes in the loss: balanced, or a weight per class label.'),
  seed: nonNegativeInt().default(D.seed).describe('Seed of weight initialisation and shuffling.'),
  resources: mapping({
    gpu: nonNegativeInt()
      .default(D.resources.gpu)
      .describe('GPUs needed; 1 or more sends the step to the gpu queue.'),
    cpu: positiveInt()
      .optional()
      .describe('CPU threads the torch engine computes with (default: the cores the process may use).'),
  })
    .prefault({})
    .describe('What the training step needs.'),
  checkpointEvery: positiveInt()
    .default(D.checkpointEvery)
    .describe('Save a checkpoint every this many epochs.'),
  retry: mapping({
    attempts: positiveInt().default(D.retry.attempts).describe('Tries of the training step in all.'),
    backoffMs: nonNegativeInt().default(D.retry.backoffMs).describe('Wait before a retry, in milliseconds.'),
  })
    .prefault({})
    .describe('Retries of a failed training step (e.g. a lost worker).'),
});

export type TrainSection = z.output<typeof trainSectionSchema>;
export type OptimizerSettings = z.output<typeof optimizerSchema>;
export type EarlyStoppingSettings = z.output<typeof earlyStoppingSchema>;
export type LrSchedule = z.output<typeof lrScheduleSchema>;
