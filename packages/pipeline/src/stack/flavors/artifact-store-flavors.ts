import { mkdir } from 'node:fs/promises';
import * as z from 'zod';
import type { ArtifactStore } from '@myelin/artifacts';
import { FsArtifactStore } from '@myelin/artifacts/fs';
import { isMyelinError, MyelinError } from '@myelin/errors';
import { defineFlavor, type FlavorTable } from './flavor.js';

/** `artifacts: { kind: fs, root }` — a folder (relative paths resolve against the stack file's folder). */
export const fsArtifactsConfigSchema = z.strictObject({ kind: z.literal('fs'), root: z.string().min(1) });

/** `artifacts: { kind: s3, bucket, prefix, … }` — any S3-compatible service; credentials from the AWS chain. */
export const s3ArtifactsConfigSchema = z.strictObject({
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

export type FsArtifactsConfig = z.output<typeof fsArtifactsConfigSchema>;
export type S3ArtifactsConfig = z.output<typeof s3ArtifactsConfigSchema>;
/** The stack's `artifacts` section, resolved. */
export type ArtifactsConfig = FsArtifactsConfig | S3ArtifactsConfig;

async function openS3(config: S3ArtifactsConfig): Promise<ArtifactStore> {
  // the AWS SDK loads only for a stack that uses S3 (it is a third of a CLI command's start)
  const { S3ArtifactStore } = await import('@myelin/artifacts/s3');
  const store = new S3ArtifactStore({
    bucket: config.bucket,
    prefix: config.prefix,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.region ? { region: config.region } : {}),
    ...(config.serverSideEncryption ? { serverSideEncryption: { type: config.serverSideEncryption } } : {}),
  });
  try {
    await store.checkAccess();
  } catch (e) {
    if (isMyelinError(e) && e.code !== 'MYELIN_ERR_INTERNAL') throw e;
    throw new MyelinError(
      'MYELIN_ERR_STACK_UNREACHABLE',
      `artifacts s3://${config.bucket}/${config.prefix}: ${e instanceof Error ? e.message : String(e)}`,
      { path: 'artifacts' },
      { cause: e },
    );
  }
  return store;
}

/** The artifact store port's flavors. */
export const ARTIFACT_STORE_FLAVORS: FlavorTable<ArtifactStore, void, ArtifactsConfig> = [
  defineFlavor({
    kind: 'fs',
    configSchema: fsArtifactsConfigSchema,
    open: async (config) => {
      try {
        await mkdir(config.root, { recursive: true });
      } catch (e) {
        throw new MyelinError(
          'MYELIN_ERR_ARTIFACT_IO',
          `cannot create the artifacts folder ${config.root} (${(e as NodeJS.ErrnoException).code ?? String(e)}); set MYELIN_HOME or MYELIN_ARTIFACTS to a writable folder`,
          { file: config.root },
          { cause: e },
        );
      }
      return new FsArtifactStore({ root: config.root });
    },
  }),
  defineFlavor({ kind: 's3', configSchema: s3ArtifactsConfigSchema, open: openS3 }),
];
