import * as z from 'zod';
import { COLUMN_TYPES, type Profile } from '@myelin/data';
import type { SameType } from '../util/same-type.js';

// The check of a registered version's profile (written by the validate step) as serving reads it
// back: it `satisfies` the type in @myelin/data, and a compile-time equality check below fails when
// a field is added there and not here. (The target encoder, preprocessor and schema are checked by
// @myelin/data's own readers.)

/** A number, or null where JSON wrote NaN/±Infinity (read back as NaN). */
const jsonNumber = z.union([z.number(), z.null().transform(() => Number.NaN)]);

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

type ColumnOf<P> = P extends { columns: (infer C)[] } ? C : never;
const _profileColumnsMatch: SameType<
  Required<ColumnOf<z.output<typeof profileSchema>>>,
  Required<ColumnOf<Profile>>
> = true;
const _profileMatches: SameType<Required<z.output<typeof profileSchema>>, Required<Profile>> = true;
