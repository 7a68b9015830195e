import * as z from 'zod';
import { MyelinError } from '@myelin/errors';
import type { ChampionComparison, GateVerdict } from '../gates/evaluate-gates.js';
import type { EngineRecord, EvaluateOutputs, RegisterOutputs, TrainedOutputs } from './step-outputs.js';

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
