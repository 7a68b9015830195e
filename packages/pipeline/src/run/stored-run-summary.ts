import * as z from 'zod';
import type { RunSummary } from './run-summary.js';
import {
  championComparisonSchema,
  engineRecordSchema,
  jsonNumber,
  parseRecorded,
} from '../steps/step-output-schemas.js';

/** What a run's stored summary (its `RunSummary` as JSON) is read back as: the fields a view shows. */
export type StoredRunSummary = Partial<
  Pick<
    RunSummary,
    'metrics' | 'gates' | 'comparison' | 'model' | 'manifest' | 'backend' | 'engine' | 'exitCode'
  >
>;

// each field optional: summaries written before a field existed lack it
const storedRunSummarySchema = z
  .object({
    metrics: z.object({ test: z.record(z.string(), jsonNumber) }),
    // loose: a verdict keeps what it was stored with (its `kind`)
    gates: z.record(z.string(), z.looseObject({ passed: z.boolean(), value: jsonNumber, bound: z.string() })),
    comparison: championComparisonSchema.nullable(),
    model: z
      .object({
        name: z.string(),
        version: z.number().int(),
        manifest: z.string(),
        aliases: z.array(z.string()),
      })
      .nullable(),
    manifest: z.string().nullable(),
    backend: z.string().nullable(),
    engine: engineRecordSchema.nullable(),
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  })
  .partial() satisfies z.ZodType<StoredRunSummary>;

/**
 * Reads a run's stored summary back; `{}` for a run without one yet (still going).
 *
 * @throws MyelinError MYELIN_ERR_INTERNAL naming the run and the field that has another shape
 * @example parseStoredRunSummary(run.summary, run.id).model?.version
 */
export function parseStoredRunSummary(summary: unknown, runId: string): StoredRunSummary {
  return summary === null || summary === undefined
    ? {}
    : parseRecorded(storedRunSummarySchema, summary, `run ${runId}: its stored summary`);
}
