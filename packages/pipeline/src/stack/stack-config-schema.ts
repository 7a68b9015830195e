import * as z from 'zod';
import type { ArtifactsConfig } from './flavors/artifact-store-flavors.js';
import type { ExecutorConfig } from './flavors/executor-flavors.js';
import type { DatabaseConfig } from './flavors/metadata-store-flavors.js';
import type { MlflowConfig } from './flavors/mlflow-flavors.js';

/** A section in its long form: a mapping whose `kind` picks the flavor (checked by the flavor's own schema). */
const flavorSection = z.looseObject({ kind: z.string().min(1) });

/** `redis: { url }` — the older spelling of `executor: { kind: bullmq, url }` (still read). */
export const redisSectionSchema = z.strictObject({
  url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL'),
});

/**
 * The top level of `myelin.stack.yaml`. Every section is optional (absent: the embedded default);
 * a section's fields are checked by its flavor (`flavors/*-flavors.ts`) once its kind is known.
 */
export const stackFileSchema = z.strictObject({
  executor: flavorSection.optional(),
  redis: redisSectionSchema.optional(),
  /** A URL (`s3://bucket/prefix`, a folder path) or the long form. */
  artifacts: z.union([z.string().min(1), flavorSection]).optional(),
  /** A URL (`postgres://…`, `sqlite:<folder>`) or the long form. */
  database: z.union([z.string().min(1), flavorSection]).optional(),
  /** `{ uri }`, `kind: mlflow` implied. */
  mlflow: z.looseObject({ kind: z.string().min(1).default('mlflow') }).optional(),
});

/** The stack file once each section was checked by its flavor (relative paths not yet resolved). */
export interface StackFile {
  executor?: ExecutorConfig;
  artifacts?: string | ArtifactsConfig;
  database?: string | DatabaseConfig;
  mlflow?: MlflowConfig;
}
