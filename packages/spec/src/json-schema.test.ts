import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PIPELINE_SCHEMA_ID, pipelineJsonSchema } from './json-schema.js';
import { SCHEMA_FILE, schemaFileText } from './schema-file.js';

describe('pipelineJsonSchema', () => {
  it('is draft 2020-12 with an $id, a title and field descriptions', () => {
    const schema = pipelineJsonSchema() as {
      $schema: string;
      $id: string;
      title: string;
      required: string[];
      properties: Record<
        string,
        { description?: string; properties?: Record<string, { default?: unknown }> }
      >;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(PIPELINE_SCHEMA_ID);
    expect(schema.title).toBe('Myelin pipeline file');
    // Input side: defaulted sections and fields are optional.
    expect(schema.required.sort()).toEqual(['apiVersion', 'data', 'model', 'name']);
    expect(schema.properties['train']?.description).toBeTruthy();
    expect(schema.properties['train']?.properties?.['epochs']?.default).toBe(100);
  });

  it('matches the committed schema/pipeline.schema.json', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      committed,
      'schema/pipeline.schema.json is stale: run `npm run schema:write -w @myelin/spec`',
    ).toBe(schemaFileText());
  });
});
