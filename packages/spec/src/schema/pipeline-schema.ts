import * as z from 'zod';
import { TASKS } from '@myelin/data/config';
import { describeValue } from '../describe-value.js';
import { dataSectionSchema } from './data-section.js';
import { deploySectionSchema } from './deploy-section.js';
import { CLASSIFICATION_METRICS, REGRESSION_METRICS, evaluateSectionSchema } from './evaluate-section.js';
import { expected, oneOf, str } from './fields.js';
import { mapping } from './mapping.js';
import { IMAGE_LAYER_TYPES, layerType, modelSectionSchema } from './model-section.js';
import { monitorSectionSchema } from './monitor-section.js';
import { preprocessSectionSchema } from './preprocess-section.js';
import { registerSectionSchema } from './register-section.js';
import { addSpecIssue } from './spec-issue.js';
import { trainSectionSchema } from './train-section.js';
import { tuneSectionSchema } from './tune-section.js';
import { checkTuneSpace } from './check-tune-space.js';
import { validateSectionSchema } from './validate-section.js';

/** The pipeline file versions this package reads. */
export const SUPPORTED_API_VERSIONS = ['myelin/v1'] as const;

/** The pattern of a pipeline name. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

const apiVersionSchema = z
  .literal(SUPPORTED_API_VERSIONS[0], {
    error: (issue) =>
      issue.input === undefined
        ? `apiVersion is missing; add "apiVersion: ${SUPPORTED_API_VERSIONS[0]}" at the top (supported: ${SUPPORTED_API_VERSIONS.join(', ')})`
        : `unsupported apiVersion ${describeValue(issue.input)}; supported: ${SUPPORTED_API_VERSIONS.join(', ')}`,
  })
  .describe('Version of the pipeline file format.');

const nameSchema = str('a name in lowercase letters, digits, ".", "_" or "-"')
  .max(100, { error: 'expected a name of at most 100 characters' })
  .regex(NAME_PATTERN, {
    error: (issue) =>
      `expected a name of lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, got ${describeValue(issue.input)}`,
  })
  .describe(
    'Pipeline name: lowercase letters, digits, ".", "_" and "-"; also the default registered model name.',
  );

/** The pipeline file as written, before cross-field defaults. */
const pipelineObjectSchema = mapping({
  apiVersion: apiVersionSchema,
  name: nameSchema,
  description: z
    .string({ error: expected('a string') })
    .optional()
    .describe('What the pipeline does, for people.'),
  task: oneOf(TASKS)
    .optional()
    .describe('binary, multiclass or regression; inferred from the target column when omitted.'),
  data: dataSectionSchema.describe('Where the data comes from and how it is split.'),
  validate: validateSectionSchema.prefault({}).describe('Checks on the data before anything is fitted.'),
  preprocess: preprocessSectionSchema
    .prefault({})
    .describe('Transforms fitted on the training split and replayed when serving.'),
  model: modelSectionSchema.describe('The network: hidden layers; the output layer follows from the task.'),
  train: trainSectionSchema.prefault({}).describe('How the model is trained.'),
  evaluate: evaluateSectionSchema.prefault({}).describe('Metrics, gates and comparison with the champion.'),
  register: registerSectionSchema.prefault({}).describe('How the model version is registered.'),
  deploy: deploySectionSchema.optional().describe('How the model is served and rolled out.'),
  monitor: monitorSectionSchema.optional().describe('Drift watching and retraining of the deployed model.'),
  tune: tuneSectionSchema
    .optional()
    .describe('Hyperparameter search over fields of train and model; the best trial is evaluated and registered.'),
});

type PipelineObject = z.output<typeof pipelineObjectSchema>;

/** Checks that span sections; they run once every section is valid on its own. */
function crossCheck(spec: PipelineObject, ctx: z.RefinementCtx): void {
  spec.model.layers.forEach((layer, i) => {
    const type = layerType(layer);
    if (IMAGE_LAYER_TYPES.includes(type) && spec.data.shape === undefined) {
      addSpecIssue(
        ctx,
        ['model', 'layers', i, type],
        `${type} needs image data; set data.shape, e.g. [8, 8, 1]`,
      );
    }
  });
  if (spec.tune) checkTuneSpace(spec, spec.tune, ctx);
  if (spec.task !== undefined) {
    const fitting: readonly string[] =
      spec.task === 'regression' ? REGRESSION_METRICS : CLASSIFICATION_METRICS;
    const what = spec.task === 'regression' ? 'a regression task' : 'a classification task';
    spec.evaluate.metrics?.forEach((metric, i) => {
      if (!fitting.includes(metric))
        addSpecIssue(ctx, ['evaluate', 'metrics', i], `${metric} does not apply to ${what}`);
    });
    for (const metric of Object.keys(spec.evaluate.gates)) {
      if (!fitting.includes(metric))
        addSpecIssue(ctx, ['evaluate', 'gates', metric], `${metric} does not apply to ${what}`);
    }
    if (spec.task === 'regression' && spec.train.earlyStopping?.monitor === 'val_accuracy') {
      addSpecIssue(
        ctx,
        ['train', 'earlyStopping', 'monitor'],
        'val_accuracy does not apply to a regression task',
      );
    }
  }
}

/**
 * The whole pipeline file. Parsing applies every default (see defaults.ts) and the defaults that
 * depend on other fields (`register.model` = `name`).
 */
export const pipelineSchema = pipelineObjectSchema
  .superRefine(crossCheck)
  .transform((spec) => ({ ...spec, register: { ...spec.register, model: spec.register.model ?? spec.name } }))
  .meta({
    title: 'Myelin pipeline file',
    description:
      'One declarative file per pipeline: data, validation, preprocessing, model, training, evaluation, registration, deployment and monitoring.',
  });

/** A resolved pipeline file: the parsed file with every default applied. */
export type PipelineSpec = z.output<typeof pipelineSchema>;
/** The pipeline file as users write it (defaulted fields optional). */
export type PipelineSpecInput = z.input<typeof pipelineSchema>;
/** The `task:` values (the data package owns them: it infers a task from the target column). */
export type { Task } from '@myelin/data/config';
