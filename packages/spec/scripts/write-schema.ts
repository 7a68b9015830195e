/**
 * Writes packages/spec/schema/pipeline.schema.json from the zod schema.
 * Run after changing the schema: `npm run schema:write -w @myelin/spec`
 * (or `npx tsx scripts/write-schema.ts` in packages/spec).
 */
import { writeFileSync } from 'node:fs';
import { SCHEMA_FILE, schemaFileText } from '../src/schema-file.js';

writeFileSync(SCHEMA_FILE, schemaFileText());
console.log(`wrote ${SCHEMA_FILE}`);
