import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { openEmbeddedStack } from '../stack/embedded-stack.js';
import type { Stack } from '../stack/stack.js';
import type { StepName } from '../plan/compile-plan.js';
import { runOneStep } from '../testing/run-one-step.js';
import type { StepOutputs } from '../run/step-context.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-validate-step-'));
let stack: Stack;
beforeAll(async () => {
  stack = await openEmbeddedStack(join(dir, 'home'));
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

const pipeline = (schema: string): string => `apiVersion: myelin/v1
name: validate-cache
data:
  source: ./rows.csv
  target: y
validate:
  schema: ${schema}
  onFailure: warn
model: { layers: [ { dense: { units: 2 } } ] }
`;

const schemaFile = (xMax: number): string =>
  JSON.stringify({
    version: 1,
    columns: [
      { name: 'x', type: 'number', nullable: false, min: 0, max: xMax },
      { name: 'y', type: 'integer', nullable: false },
    ],
  });

/** Runs one step of a fresh run of the pipeline, with the step cache on. */
async function step(text: string, name: StepName, inputs: Partial<Record<StepName, StepOutputs>> = {}) {
  const loaded = parseSpec(text, join(dir, 'p.yaml'));
  const { id: runId } = await stack.meta.createRun({
    pipeline: loaded.spec.name,
    trigger: 'cli',
    specHash: loaded.hash,
    specText: loaded.text,
    specFile: loaded.file,
    options: {},
  });
  return runOneStep(stack, loaded, runId, name, { inputs });
}

describe('validate step cache', () => {
  it('an edited schema file is validated again, not replayed from the cache', async () => {
    writeFileSync(join(dir, 'rows.csv'), 'x,y\n1,0\n2,1\n3,0\n4,1\n5,0\n6,1\n');
    const ingest = await step(pipeline('infer'), 'ingest');
    expect(ingest.status).toBe('succeeded');
    const inputs = { ingest: ingest.outputs! };

    writeFileSync(join(dir, 'schema.json'), schemaFile(100));
    const first = await step(pipeline('./schema.json'), 'validate', inputs);
    expect(first.status).toBe('succeeded');
    expect(first.outputs?.anomalies).toBe(0);
    expect((await step(pipeline('./schema.json'), 'validate', inputs)).status).toBe('cached');

    // the same path, new content: x now has a max of 3, so rows 4 to 6 break it
    writeFileSync(join(dir, 'schema.json'), schemaFile(3));
    const edited = await step(pipeline('./schema.json'), 'validate', inputs);
    expect(edited.status).toBe('succeeded');
    expect(edited.outputs?.anomalies).toBeGreaterThan(0);
  });

  it('a missing data file is bad input located at data.source in the pipeline file', async () => {
    const rec = await step(pipeline('infer').replace('./rows.csv', './nowhere.csv'), 'ingest');
    expect(rec.status).toBe('failed');
    expect(rec.error).toMatchObject({
      code: 'MYELIN_ERR_DATA_READ',
      location: { file: join(dir, 'p.yaml'), line: 4, column: 3, path: 'data.source' },
    });
    expect((rec.error as Error).message).toMatch(
      /p\.yaml:4:3 data\.source: cannot read \.\/nowhere\.csv: no such file/,
    );
  });
});
