import * as z from 'zod';
import { COLUMN_TYPES, type Profile, type TargetEncoder } from '@myelin/data';

// Checks for the JSON files of a registered version that serving reads back (written by the
// preprocess and validate steps). Each `satisfies` its type in @myelin/data and a compile-time
// equality check below fails when a field is added there and not here.

/** A number, or null where JSON wrote NaN/±Infinity (read back as NaN). */
const jsonNumber = z.union([z.number(), z.null().transform(() => Number.NaN)]);

export const targetEncoderSchema = z.discriminatedUnion('task', [
  z.object({
    version: z.literal(1),
    task: z.enum(['binary', 'multiclass']),
    classes: z.array(z.string()),
    labelType: z.enum(['string', 'number', 'boolean']),
  }),
  z.object({
    version: z.literal(1),
    task: z.literal('regression'),
    standardize: z.boolean(),
    mean: jsonNumber,
    std: jsonNumber,
  }),
]) satisfies z.ZodType<TargetEncoder>;

const quantiles = z.object({
  p1: jsonNumber,
  p5: jsonNumber,
  p25: jsonNumber,
  p50: jsonNumber,
  p75: jsonNumber,
  p95: jsonNumber,
  p99: jsonNumber,
});

export const profileSchema = z.object({
  version: z.literal(1),
  rows: z.number(),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.enum(COLUMN_TYPES),
      count: z.number(),
      missing: z.number(),
      distinct: z.number(),
      distinctApproximate: z.boolean(),
      min: jsonNumber.optional(),
      max: jsonNumber.optional(),
      mean: jsonNumber.optional(),
      std: jsonNumber.optional(),
      quantiles: quantiles.optional(),
      histogram: z.object({ edges: z.array(jsonNumber), counts: z.array(z.number()) }).optional(),
      topValues: z.array(z.object({ value: z.string(), count: z.number() })).optional(),
      nonFinite: z.number().optional(),
    }),
  ),
}) satisfies z.ZodType<Profile>;

/** True only when A and B are the same type (optional fields included). */
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? keyof A extends keyof B
      ? keyof B extends keyof A
        ? true
        : false
      : false
    : false
  : false;
type ColumnOf<P> = P extends { columns: (infer C)[] } ? C : never;
const _profileColumnsMatch: Same<
  Required<ColumnOf<z.output<typeof profileSchema>>>,
  Required<ColumnOf<Profile>>
> = true;
const _profileMatches: Same<keyof z.output<typeof profileSchema>, keyof Profile> = true;
