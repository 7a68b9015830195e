import { readColumnBatches } from '@myelin/data';
import { dataSourceOf } from './data-rules.js';
import { requireFile } from './pipeline-field.js';
import { fileSha256 } from '../util/file-sha256.js';
import {
  listS3Data,
  parseS3DataSource,
  type S3DataSource,
  readS3Batches,
  s3DataClient,
  s3DataFormat,
} from './s3-data-source.js';
import type { StepContext } from '../run/step-context.js';
import type { TypedStep } from './step-definition.js';
import type { IngestOutputs } from './step-outputs.js';
import { putDataset } from '../util/dataset-artifacts.js';

/** The layout of the dataset artifact ingest writes; part of its cache key. */
const DATASET_LAYOUT = 'myelin-dataset-1/arrow-ipc-stream';

/**
 * Reads the pipeline's data source once, as typed column batches (no object per row), and streams
 * it into the artifact store as a dataset: Arrow IPC parts and a manifest (see `DatasetManifest`).
 * The manifest's sha256 is the run's data hash.
 */
export const ingestStep: TypedStep<'ingest'> = {
  name: 'ingest',
  async cacheKey(ctx: StepContext) {
    const s3 = parseS3DataSource(ctx.spec.data.source);
    if (s3) {
      const client = s3DataClient();
      try {
        const objects = await listS3Data(client, s3, s3DataFormat(s3, ctx.spec.data.format));
        return { data: ctx.spec.data, s3: objects, layout: DATASET_LAYOUT };
      } finally {
        client.destroy();
      }
    }
    const src = dataSourceOf(ctx.loaded, ctx.options.allowOutside);
    await requireFile(ctx.loaded, 'data.source', src.path, src.display);
    return { data: ctx.spec.data, file: await fileSha256(src.path), layout: DATASET_LAYOUT };
  },
  async run(ctx: StepContext): Promise<IngestOutputs> {
    const s3 = parseS3DataSource(ctx.spec.data.source);
    if (s3) return ingestS3(ctx, s3);
    const src = dataSourceOf(ctx.loaded, ctx.options.allowOutside);
    await requireFile(ctx.loaded, 'data.source', src.path, src.display);
    const { key, sha256, manifest } = await putDataset(ctx.store, readColumnBatches(src));
    const parts = manifest.parts.length;
    ctx.log(
      `read ${manifest.rows} rows, ${manifest.columns.length} columns from ${src.display} (${parts} Arrow part${parts === 1 ? '' : 's'})`,
    );
    return { dataset: key, dataHash: sha256, rows: manifest.rows, source: src.display };
  },
};

/** Ingests an `s3://bucket/key` object or every object under an `s3://bucket/prefix/`, in key order. */
async function ingestS3(ctx: StepContext, s3: S3DataSource): Promise<IngestOutputs> {
  const client = s3DataClient();
  try {
    const format = s3DataFormat(s3, ctx.spec.data.format);
    const objects = await listS3Data(client, s3, format);
    const { key, sha256, manifest } = await putDataset(ctx.store, readS3Batches(client, s3, objects, format));
    const display = ctx.spec.data.source;
    ctx.log(
      `read ${manifest.rows} rows, ${manifest.columns.length} columns from ${display} (${objects.length} object${objects.length === 1 ? '' : 's'})`,
    );
    return { dataset: key, dataHash: sha256, rows: manifest.rows, source: display, objects: objects.length };
  } finally {
    client.destroy();
  }
}
