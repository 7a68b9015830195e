import * as z from 'zod';
import { TASKS } from '@myelin/data/config';
import { MyelinError } from '@myelin/errors';
import type { ChampionComparison, GateVerdict } from '../gates/evaluate-gates.js';
import type { StepName } from '../plan/compile-plan.js';
import type { TrialSummary } from '../tune/run-tune.js';
import type { TrialRecord } from '../tune/trial-record.js';
import type {
  EngineRecord,
  EvaluateOutputs,
  IngestOutputs,
  PreprocessOutputs,
  RegisterOutputs,
  StepOutputMap,
  TrainedOutputs,
  TrainOutputs,
  TuneOutcome,
  ValidateOutputs,
} from './step-outputs.js';

// Checks for step outputs read back from JSON (a queue run's records, a stored trial, a cached
// step): each is checked against the type in step-outputs.ts (`satisfies`), so the two cannot drift.

/**
 * A number that may be NaN or ±Infinity (a metric, a gate's value): in memory any number, and
 * from JSON, which wrote those as null, null read back as NaN.
 */
export const jsonNumber = z.union([
  z.custom<number>((v) => typeof v === 'number', 'expected a number'),
  z.null().transform(() => Number.NaN),
]);

export const ingestOutputsSchema = z.object({
  dataset: z.string(),
  dataHash: z.string(),
  rows: z.number(),
  source: z.string(),
  objects: z.number().optional(),
}) satisfies z.ZodType<IngestOutputs>;

export const validateOutputsSchema = z.object({
  report: z.string(),
  task: z.enum(TASKS).nullable(),
  classes: z.array(z.string()).nullable(),
  anomalies: z.number(),
  errors: z.number(),
}) satisfies z.ZodType<ValidateOutputs>;

export const preprocessOutputsSchema = z.object({
  preprocessor: z.string(),
  targetEncoder: z.string(),
  splits: z.string(),
  tensors: z.string(),
  task: z.enum(TASKS),
  inputShape: z.array(z.number()),
  outputs: z.number(),
  classes: z.array(z.string()).nullable(),
  sizes: z.object({ train: z.number(), validation: z.number(), test: z.number() }),
}) satisfies z.ZodType<PreprocessOutputs>;

export const engineRecordSchema = z.object({
  name: z.string(),
  version: z.string(),
  device: z.string(),
  threads: z.number(),
}) satisfies z.ZodType<EngineRecord>;

/** One training's outputs (the train step's, or a tune trial's). */
export const trainedOutputsSchema = z.object({
  model: z.string(),
  modelJson: z.string(),
  weights: z.string(),
  history: z.string(),
  engine: engineRecordSchema,
  backend: z.string(),
  bestEpoch: z.number(),
  restoredEpoch: z.number().optional(),
  epochsRun: z.number(),
  stoppedEarly: z.boolean(),
  stopped: z.boolean(),
  resumedFromEpoch: z.number(),
  samplesPerSec: jsonNumber,
}) satisfies z.ZodType<TrainedOutputs>;

const trialParamsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]));

export const tuneOutcomeSchema = z.object({
  // spelled out, not imported from @myelin/spec, so readers of stored summaries stay light; the
  // satisfies below fails to compile if the spec's strategies change
  strategy: z.enum(['grid', 'random', 'asha']),
  metric: z.string(),
  direction: z.enum(['max', 'min']),
  bestTrial: z.number(),
  bestParams: trialParamsSchema,
  bestMetric: jsonNumber.nullable(),
}) satisfies z.ZodType<TuneOutcome>;

export const trialSummarySchema = z.object({
  index: z.number(),
  params: trialParamsSchema,
  status: z.enum(['succeeded', 'pruned', 'failed', 'cancelled']),
  metric: jsonNumber.nullable(),
  epochsRun: z.number(),
  rung: z.number().nullable(),
  curve: z.array(jsonNumber),
  error: z.string().optional(),
}) satisfies z.ZodType<TrialSummary>;

/** A trial's stored record (`trialRecordRef`): its summary and the trained model's outputs. */
export const trialRecordSchema = trialSummarySchema.extend({
  outputs: z.record(z.string(), z.unknown()).nullable(),
}) satisfies z.ZodType<TrialRecord>;

/** The train step's outputs: one training's, with the search around it. */
export const trainOutputsSchema = trainedOutputsSchema.extend({
  tune: tuneOutcomeSchema.optional(),
  trials: z.array(trialSummarySchema).optional(),
}) satisfies z.ZodType<TrainOutputs>;

export const gateVerdictSchema = z.object({
  passed: z.boolean(),
  value: jsonNumber,
  bound: z.string(),
  kind: z.enum(['absolute', 'champion']),
}) satisfies z.ZodType<GateVerdict>;

export const championComparisonSchema = z.object({
  alias: z.string(),
  version: z.number().nullable(),
  note: z.string(),
  metrics: z.record(
    z.string(),
    z.object({
      candidate: jsonNumber,
      champion: jsonNumber,
      passed: z.boolean(),
      direction: z.enum(['higher', 'lower']),
    }),
  ),
}) satisfies z.ZodType<ChampionComparison>;

export const evaluateOutputsSchema = z.object({
  evaluation: z.string(),
  metrics: z.record(z.string(), jsonNumber),
  gates: z.record(z.string(), gateVerdictSchema),
  passed: z.boolean(),
  comparison: championComparisonSchema.nullable(),
}) satisfies z.ZodType<EvaluateOutputs>;

export const registerOutputsSchema = z.object({
  manifest: z.string(),
  model: z.string(),
  version: z.number().int(),
  aliases: z.array(z.string()),
}) satisfies z.ZodType<RegisterOutputs>;

/**
 * The check of each step's outputs, by step: what a later step reads of them (`input`) passes it,
 * so a record of another shape (an older worker's, a hand-edited cache entry) fails by name.
 */
export const STEP_OUTPUT_SCHEMAS: { [S in StepName]: z.ZodType<StepOutputMap[S]> } = {
  ingest: ingestOutputsSchema,
  validate: validateOutputsSchema,
  preprocess: preprocessOutputsSchema,
  train: trainOutputsSchema,
  evaluate: evaluateOutputsSchema,
  register: registerOutputsSchema,
};

/**
 * Reads a value with `schema`, or throws MYELIN_ERR_INTERNAL naming `what` and the first bad field
 * (a record the code itself wrote that does not have its declared shape).
 *
 * @example parseRecorded(registerOutputsSchema, rec.outputs, 'step register outputs').version
 */
export function parseRecorded<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  throw new MyelinError('MYELIN_ERR_INTERNAL', `${what}${path ? ` field ${path}` : ''}: ${issue.message}`);
}
