import * as z from 'zod';
import { layerSchema } from './schema/model-section.js';
import { pipelineSchema } from './schema/pipeline-schema.js';

/** The `$id` of the pipeline file's JSON Schema. */
export const PIPELINE_SCHEMA_ID = 'https://myelin.dev/schemas/pipeline.schema.json';

/**
 * JSON Schema (draft 2020-12) of the pipeline file as users write it: fields with defaults are
 * optional. Point editors at the committed copy, packages/spec/schema/pipeline.schema.json.
 *
 * @example writeFileSync('pipeline.schema.json', JSON.stringify(pipelineJsonSchema(), null, 2));
 */
export function pipelineJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(pipelineSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      // zod bounds every integer by MAX_SAFE_INTEGER; that is noise for people reading the schema.
      if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
      if (ctx.jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete ctx.jsonSchema.minimum;
      // A layer is a mapping with exactly one key, its type.
      if (ctx.zodSchema === layerSchema) {
        ctx.jsonSchema.minProperties = 1;
        ctx.jsonSchema.maxProperties = 1;
      }
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: PIPELINE_SCHEMA_ID, ...rest };
}
