import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { loadRows } from '@myelin/data';
import { dataSourceOf } from './data-rules.js';
import type { StepContext, StepOutputs } from '../run/step-context.js';
import type { StepDefinition } from './step-definition.js';
import { rowsToJsonl } from '../util/json-artifacts.js';

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Reads the pipeline's data source and stores it as a JSON Lines dataset artifact. */
export const ingestStep: StepDefinition = {
  name: 'ingest',
  async cacheKey(ctx: StepContext) {
    const src = dataSourceOf(ctx.loaded, ctx.options.allowOutside);
    return { data: ctx.spec.data, file: await fileSha256(src.path) };
  },
  async run(ctx: StepContext): Promise<StepOutputs> {
    const src = dataSourceOf(ctx.loaded, ctx.options.allowOutside);
    const rows = await loadRows(src);
    const { key, sha256 } = await ctx.store.put(rowsToJsonl(rows), { contentType: 'application/x-ndjson' });
    ctx.log(`read ${rows.length} rows from ${src.display}`);
    return { dataset: key, dataHash: sha256, rows: rows.length, source: src.display };
  },
};
