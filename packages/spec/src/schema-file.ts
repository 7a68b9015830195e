import { fileURLToPath } from 'node:url';
import { pipelineJsonSchema } from './json-schema.js';

/** Absolute path of the committed JSON Schema, packages/spec/schema/pipeline.schema.json. */
export const SCHEMA_FILE = fileURLToPath(new URL('../schema/pipeline.schema.json', import.meta.url));

/** The text the committed schema file must hold: pretty-printed, with a trailing newline. */
export function schemaFileText(): string {
  return `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`;
}
