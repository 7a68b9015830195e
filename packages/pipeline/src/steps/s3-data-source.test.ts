import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type RunningS3rver } from '@myelin/artifacts/testing';
import { parseSpec } from '@myelin/spec';
import { runOneStep } from '../testing/run-one-step.js';
import { openEmbeddedStack } from '../stack/embedded-stack.js';
import { listS3Data, parseS3DataSource, s3DataClient } from './s3-data-source.js';

let s3: RunningS3rver;
const home = mkdtempSync(join(tmpdir(), 'myelin-s3-source-'));
const env = (): NodeJS.ProcessEnv => ({ MYELIN_S3_ENDPOINT: s3.endpoint, AWS_REGION: s3.region });
const creds = () => ({ credentials: s3.credentials });

beforeAll(async () => {
  s3 = await startS3rver({ buckets: ['data'] });
  const client = s3DataClient(creds(), env());
  const put = (Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket: 'data', Key, Body }));
  await put('events/2026-01-02.csv', 'x,y\n3,b\n4,a\n');
  await put('events/2026-01-01.csv', 'x,y\n1,a\n2,b\n');
  await put('events/_SUCCESS', '');
  await put('other/2026-01-01.csv', 'x,y\n9,a\n');
  client.destroy();
});
afterAll(async () => {
  await s3?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('S3 data sources', () => {
  it('a prefix lists its objects of the format in key order, leaving markers and other prefixes out', async () => {
    const client = s3DataClient(creds(), env());
    const objects = await listS3Data(client, parseS3DataSource('s3://data/events/')!, 'csv');
    expect(objects.map((o) => o.key)).toEqual(['events/2026-01-01.csv', 'events/2026-01-02.csv']);
    await expect(listS3Data(client, parseS3DataSource('s3://data/none/')!, 'csv')).rejects.toThrow(
      /no \.csv\/\.tsv object under the prefix/,
    );
    client.destroy();
  });

  it('ingest reads every object under the prefix into one dataset', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env(), {
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    });
    const stack = await openEmbeddedStack(home);
    try {
      const text = `apiVersion: myelin/v1
name: s3-prefix
data: { source: "s3://data/events/", format: csv, target: y }
model: { layers: [ { dense: { units: 2 } } ] }
`;
      const loaded = parseSpec(text, join(home, 'p.yaml'));
      const run = await stack.meta.createRun({
        pipeline: 's3-prefix',
        trigger: 'cli',
        specHash: loaded.hash,
        specText: text,
      });
      const rec = await runOneStep(stack, loaded, run.id, 'ingest', { noCache: true });
      expect(rec.status).toBe('succeeded');
      expect(rec.outputs).toMatchObject({ rows: 4, objects: 2, source: 's3://data/events/' });
    } finally {
      await stack.close();
      process.env = saved;
    }
  });
});
