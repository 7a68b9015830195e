import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, tinyPenguins, type TestServer } from '../testing/api-test-server.js';

// A pipelines folder of its own, with a way out planted in it (a symlink) and a secret beside it.
const root = mkdtempSync(join(tmpdir(), 'myelin-exfil-'));
const pipelines = join(root, 'pipelines');
mkdirSync(join(pipelines, 'team'), { recursive: true });
writeFileSync(join(root, 'secret.csv'), 'password\nhunter2\n');
writeFileSync(join(root, 'creds.json'), JSON.stringify({ aws_secret_access_key: 'AKIAXXXX' }));
writeFileSync(join(pipelines, 'rows.csv'), 'a,b\n1,x\n');
symlinkSync(join(root, 'secret.csv'), join(pipelines, 'link.csv'));
symlinkSync(join(root, 'creds.json'), join(pipelines, 'creds.json'));
execFileSync('mkfifo', [join(pipelines, 'fifo.json')]);

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ pipelinesDir: pipelines });
});
afterAll(async () => {
  await s.close();
  rmSync(root, { recursive: true, force: true });
});

/** The tiny penguins pipeline with its data source (and optionally its schema) swapped. */
function pipeline(source: string, schema?: string): string {
  const text = tinyPenguins({ name: 'exfil' }).replace(
    'source: npm:vega-datasets/data/penguins.json',
    `source: ${JSON.stringify(source)}\n  format: csv`,
  );
  return schema === undefined ? text : `${text}validate:\n  schema: ${JSON.stringify(schema)}\n`;
}

async function submit(payload: Record<string, unknown>) {
  return s.app.inject({ method: 'POST', url: '/api/runs', payload });
}

describe('POST /api/runs reads files only inside the pipelines folder', () => {
  it.each([
    [
      'an absolute data path',
      { spec: pipeline('/etc/passwd') },
      'data.source',
      /outside the pipeline folder/,
    ],
    ['a climb out', { spec: pipeline('../secret.csv') }, 'data.source', /outside the pipeline folder/],
    ['a file:// URL', { spec: pipeline('file:///etc/passwd') }, 'data.source', /outside the pipeline folder/],
    [
      'a symlink out of the folder',
      { spec: pipeline('link.csv') },
      'data.source',
      /outside the pipeline folder/,
    ],
    ['/proc', { spec: pipeline('/proc/self/environ', undefined) }, 'data.source', /system path|outside/],
    [
      'a schema elsewhere',
      { spec: pipeline('rows.csv', '/etc/passwd') },
      'validate.schema',
      /outside the pipeline folder/,
    ],
    [
      'a schema in /proc',
      { spec: pipeline('rows.csv', '/proc/self/environ') },
      'validate.schema',
      /system path/,
    ],
    [
      '/dev/zero as the schema',
      { spec: pipeline('rows.csv', '/dev/zero') },
      'validate.schema',
      /system path/,
    ],
    [
      'a schema symlinked out',
      { spec: pipeline('rows.csv', 'creds.json') },
      'validate.schema',
      /outside the pipeline folder/,
    ],
    ['a FIFO as the schema', { spec: pipeline('rows.csv', 'fifo.json') }, 'validate.schema', /a FIFO/],
    [
      'an override that points the source away',
      { spec: pipeline('rows.csv'), overrides: { 'data.source': '/etc/passwd' } },
      'data.source',
      /set by the override "data\.source"/,
    ],
    [
      'baseDir "/"',
      { spec: pipeline('etc/passwd'), baseDir: '/' },
      'body.baseDir',
      /outside the server's pipelines folder/,
    ],
    ['baseDir beside the folder', { spec: pipeline('secret.csv'), baseDir: root }, 'body.baseDir', /outside/],
  ])('refuses %s with 400 naming the field, recording nothing', async (_what, body, field, message) => {
    const before = (await s.stack.meta.listRuns({ limit: 500 })).runs.length;
    const res = await submit({ file: 'exfil.yaml', ...body });
    expect(res.statusCode, res.body).toBe(400);
    const error = res.json<{ error: { code: string; message: string; details: { path: string }[] } }>().error;
    expect(error.details.map((d) => d.path)).toContain(field);
    expect(error.message).toMatch(message);
    expect(res.body).not.toMatch(/root:x:0|hunter2|AKIA|aws_secret/);
    expect((await s.stack.meta.listRuns({ limit: 500 })).runs.length).toBe(before);
  });

  it('points at the line of the field in the text sent', async () => {
    const res = await submit({ spec: pipeline('/etc/passwd'), file: 'exfil.yaml' });
    const detail = res.json<{ error: { details: { line: number; message: string }[] } }>().error.details[0]!;
    expect(detail.line).toBe(4);
    expect(detail.message).toMatch(/^exfil\.yaml:4:3 data\.source: /);
  });

  it('accepts a baseDir inside the pipelines folder (narrower, never wider)', async () => {
    writeFileSync(join(pipelines, 'team', 'rows.csv'), 'a,b\n1,x\n');
    const res = await submit({
      spec: pipeline('rows.csv'),
      file: 'x.yaml',
      baseDir: join(pipelines, 'team'),
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<{ dataDir: string }>().dataDir).toBe(join(pipelines, 'team'));
    // the narrower folder is the folder: a climb back to the pipelines folder is outside it
    const up = await submit({
      spec: pipeline('../rows.csv'),
      file: 'x.yaml',
      baseDir: join(pipelines, 'team'),
    });
    expect(up.statusCode).toBe(400);
    expect(up.json<{ error: { message: string } }>().error.message).toMatch(
      /runs submitted through the API read files only inside/,
    );
  });
});
