import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMyelinError, type MyelinError } from '@myelin/errors';
import { loadStackConfig, parseS3Uri } from './stack-config.js';
import { openStack } from './open-stack.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-stack-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string, file?: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  if (file !== undefined) writeFileSync(join(d, 'myelin.stack.yaml'), file);
  return d;
}

async function failure(p: Promise<unknown>): Promise<MyelinError> {
  try {
    await p;
  } catch (e) {
    if (isMyelinError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('loadStackConfig', () => {
  it('is the embedded stack when nothing is configured', async () => {
    const cwd = folder('empty');
    expect(await loadStackConfig({ cwd, env: {} })).toEqual({
      executor: { kind: 'local' },
      artifacts: { kind: 'fs', root: join(cwd, '.myelin', 'artifacts') },
      database: { kind: 'sqlite', dir: join(cwd, '.myelin') },
      file: null,
    });
  });

  it('reads myelin.stack.yaml and lets env win per section', async () => {
    const cwd = folder(
      'file',
      `redis: { url: redis://queue:6379 }
artifacts: { kind: s3, bucket: models, prefix: /team/a/, region: eu-west-1 }
database: postgres://u:p@db/myelin
`,
    );
    const fromFile = await loadStackConfig({ cwd, env: {} });
    expect(fromFile).toMatchObject({
      executor: { kind: 'bullmq', url: 'redis://queue:6379', prefix: 'myelin' },
      artifacts: { kind: 's3', bucket: 'models', prefix: 'team/a', region: 'eu-west-1' },
      database: { kind: 'postgres', url: 'postgres://u:p@db/myelin' },
      file: join(cwd, 'myelin.stack.yaml'),
    });
    const env = await loadStackConfig({
      cwd,
      env: {
        MYELIN_REDIS_URL: 'redis://other:1',
        MYELIN_ARTIFACTS: 's3://bucket-b/runs',
        MYELIN_S3_ENDPOINT: 'http://127.0.0.1:4568',
        MYELIN_DATABASE_URL: 'sqlite:./meta',
      },
    });
    expect(env).toMatchObject({
      executor: { kind: 'bullmq', url: 'redis://other:1', prefix: 'myelin' },
      artifacts: { kind: 's3', bucket: 'bucket-b', prefix: 'runs', endpoint: 'http://127.0.0.1:4568' },
      database: { kind: 'sqlite', dir: join(cwd, 'meta') },
    });
  });

  it('points at the line of a bad value, an unknown key, or broken YAML', async () => {
    const bad = folder('bad', `redis:\n  url: http://nope\nartifact: s3://x/y\n`);
    const e = await failure(loadStackConfig({ cwd: bad, env: {} }));
    expect(e.code).toBe('MYELIN_ERR_STACK_CONFIG');
    expect(e.message).toContain(
      `${join(bad, 'myelin.stack.yaml')}:2:3 redis.url: expected a redis:// or rediss:// URL`,
    );
    expect(e.message).toContain(':3:1 artifact: unknown key "artifact"');
    const kind = folder('kind', `# queues\nexecutor:\n  kind: celery\n`);
    expect((await failure(loadStackConfig({ cwd: kind, env: {} }))).message).toContain(
      `${join(kind, 'myelin.stack.yaml')}:3:3 executor.kind: unknown executor kind "celery" (known: local, bullmq)`,
    );
    const field = folder(
      'field',
      `executor:\n  kind: bullmq\n  url: redis://q:6379\n  prefix: "a b"\ndatabase:\n  kind: postgres\n  url: mysql://x\n`,
    );
    const fe = await failure(loadStackConfig({ cwd: field, env: {} }));
    expect(fe.message).toContain(':4:3 executor.prefix: expected 1-64 letters');
    expect(fe.message).toContain(':7:3 database.url: expected a postgres:// URL');
    const dup = folder('dup', `artifacts: a\nartifacts: b\n`);
    expect((await failure(loadStackConfig({ cwd: dup, env: {} }))).message).toMatch(
      /myelin\.stack\.yaml:2:1: not a well-formed stack file: duplicate key "artifacts"/,
    );
    const broken = folder('broken', `redis: [\n`);
    expect((await failure(loadStackConfig({ cwd: broken, env: {} }))).message).toMatch(
      /myelin\.stack\.yaml:\d+:\d+: not a well-formed stack file/,
    );
    const env = await failure(
      loadStackConfig({ cwd: folder('env'), env: { MYELIN_DATABASE_URL: 'mysql://x' } }),
    );
    expect(env.message).toMatch(/^MYELIN_DATABASE_URL: database "mysql:\/\/x": expected postgres/);
    const named = await failure(
      loadStackConfig({ cwd: folder('named'), env: { MYELIN_STACK_FILE: 'missing.yaml' } }),
    );
    expect(named.message).toMatch(/missing\.yaml: cannot read the stack file \(ENOENT\)/);
  });

  it('takes the queue prefix from executor.prefix, and MYELIN_QUEUE_PREFIX over it', async () => {
    const cwd = folder('prefix', `executor: { kind: bullmq, url: redis://q:6379, prefix: team-a }\n`);
    expect((await loadStackConfig({ cwd, env: {} })).executor).toEqual({
      kind: 'bullmq',
      url: 'redis://q:6379',
      prefix: 'team-a',
    });
    expect((await loadStackConfig({ cwd, env: { MYELIN_QUEUE_PREFIX: 'team-b' } })).executor).toMatchObject({
      prefix: 'team-b',
    });
    expect(
      (await loadStackConfig({ cwd, env: { MYELIN_REDIS_URL: 'redis://other:1' } })).executor,
    ).toEqual({ kind: 'bullmq', url: 'redis://other:1', prefix: 'team-a' });
    const both = folder('both', `executor: { kind: local }\nredis: { url: redis://q:1 }\n`);
    expect((await failure(loadStackConfig({ cwd: both, env: {} }))).message).toContain(':2:1 redis: give the queues once');
    expect((await failure(loadStackConfig({ cwd, env: { MYELIN_QUEUE_PREFIX: 'a:b' } }))).message).toMatch(
      /^MYELIN_QUEUE_PREFIX: MYELIN_QUEUE_PREFIX "a:b"/,
    );
  });

  it('parses s3:// URLs', () => {
    expect(parseS3Uri('s3://b/a/b/')).toEqual({ bucket: 'b', prefix: 'a/b' });
    expect(parseS3Uri('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(parseS3Uri('http://b')).toBeNull();
  });
});

describe('openStack', () => {
  it('opens the embedded stack by default', async () => {
    const cwd = folder('open');
    const stack = await openStack({ cwd, env: {} });
    try {
      expect(stack.name).toBe('embedded');
      expect(stack.executor.name).toBe('local');
    } finally {
      await stack.close();
    }
  });

  it('fails at start with a clear error when Redis is unreachable, and a worker needs Redis', async () => {
    const cwd = folder('noredis');
    const e = await failure(openStack({ cwd, env: { MYELIN_REDIS_URL: 'redis://127.0.0.1:1' } }));
    expect(e.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
    expect(e.message).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    const w = await failure(openStack({ cwd, env: {}, role: 'worker' }));
    expect(w.code).toBe('MYELIN_ERR_STACK_CONFIG');
    expect(w.message).toMatch(/needs Redis/);
  });
});
