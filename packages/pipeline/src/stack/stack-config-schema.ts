import { z } from 'zod';

/** `redis:` — the BullMQ queues. Present: runs go to queue workers; absent: steps run in-process. */
export const redisSectionSchema = z.strictObject({
  url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL'),
});

const fsArtifactsSchema = z.strictObject({
  kind: z.literal('fs'),
  /** Relative paths resolve against the stack file's folder. */
  root: z.string().min(1),
});

const s3ArtifactsSchema = z.strictObject({
  kind: z.literal('s3'),
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'expected an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)',
    ),
  prefix: z.string().default(''),
  endpoint: z.url().optional(),
  region: z.string().min(1).optional(),
  serverSideEncryption: z.enum(['AES256', 'aws:kms']).optional(),
});

/** `artifacts:` — a URL (`s3://bucket/prefix`, a folder path) or the long form. */
export const artifactsSectionSchema = z.union([
  z.string().min(1),
  z.discriminatedUnion('kind', [fsArtifactsSchema, s3ArtifactsSchema]),
]);

/** `database:` — a URL (`postgres://…`, `sqlite:<folder>`) or the long form. */
export const databaseSectionSchema = z.union([
  z.string().min(1),
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('sqlite'), dir: z.string().min(1) }),
    z.strictObject({
      kind: z.literal('postgres'),
      url: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
    }),
  ]),
]);

/** The whole `myelin.stack.yaml`. Every section is optional; absent sections are the embedded defaults. */
export const stackFileSchema = z.strictObject({
  redis: redisSectionSchema.optional(),
  artifacts: artifactsSectionSchema.optional(),
  database: databaseSectionSchema.optional(),
  mlflow: z.strictObject({ uri: z.url() }).optional(),
});

export type StackFile = z.output<typeof stackFileSchema>;
