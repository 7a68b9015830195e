import * as z from 'zod';
import { MyelinError } from '@myelin/errors';
import type { ModelServeConfig } from './model-serve-config.js';
import type { SameType } from './util/same-type.js';

const positive = z.number().positive();
const count = z.number().int().positive();
const share = z.number().gt(0).lt(1);

const modelServeConfigSchema = z.strictObject({
  name: z.string().min(1),
  alias: z
    .string()
    .regex(/^[A-Za-z][\w.-]*$/, 'expected an alias like production')
    .optional(),
  batching: z
    .strictObject({
      enabled: z.boolean().optional(),
      maxBatchSize: count.optional(),
      batchTimeoutMs: z.number().min(0).optional(),
      maxQueuedRows: count.optional(),
    })
    .optional(),
  tokens: z.array(z.string().min(1)).optional(),
  rollout: z
    .strictObject({
      strategy: z.enum(['canary', 'shadow']),
      traffic: share.optional(),
      duration: positive.optional(),
      maxErrorRateIncrease: z.number().min(0).optional(),
      maxLatencyP95Increase: z.number().min(0).optional(),
      maxDivergence: z.number().min(0).optional(),
      minRequests: count.optional(),
    })
    .optional(),
  drift: z
    .strictObject({
      enabled: z.boolean().optional(),
      metric: z.enum(['auto', 'psi', 'ks', 'js', 'wasserstein', 'chi2']).optional(),
      threshold: positive.optional(),
      window: count.optional(),
      smallWindow: count.optional(),
      minSamples: count.optional(),
      every: count.optional(),
      minIntervalMs: z.number().min(0).optional(),
    })
    .optional(),
  logSampleRate: z.number().min(0).max(1).optional(),
  logBatchSize: count.optional(),
}) satisfies z.ZodType<ModelServeConfig>;

const _sameFields: SameType<
  Required<z.output<typeof modelServeConfigSchema>>,
  Required<ModelServeConfig>
> = true;

const serveConfigFileSchema = z.strictObject({ models: z.array(modelServeConfigSchema).min(1) });

/**
 * Reads the text of a `myelin serve --config` file: `{ "models": [ { "name": …, …ModelServeConfig } ] }`,
 * each model's knobs checked (unknown keys, wrong types and out-of-range values refused), no name twice.
 *
 * @example parseServeConfigFile('{"models":[{"name":"penguins","batching":{"maxBatchSize":64}}]}', 'serve.json')[0].name // 'penguins'
 * @throws MyelinError MYELIN_ERR_USAGE naming the file and the field (e.g. `models.0.batching.maxBatchSize`), never quoting the file
 */
export function parseServeConfigFile(text: string, file: string): ModelServeConfig[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MyelinError('MYELIN_ERR_USAGE', 'not valid JSON (expected { "models": [ { "name": … } ] })', {
      file,
    });
  }
  const r = serveConfigFileSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map(String).join('.') || '(root)';
    throw new MyelinError('MYELIN_ERR_USAGE', issue.message, { file, path });
  }
  const seen = new Set<string>();
  r.data.models.forEach((m, i) => {
    if (seen.has(m.name))
      throw new MyelinError('MYELIN_ERR_USAGE', `model ${m.name} is listed twice`, {
        file,
        path: `models.${i}.name`,
      });
    seen.add(m.name);
  });
  return r.data.models;
}
