import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../myelin-cli.js';
import { killAll, startMyelinProcess, until, type TrialProcess } from './trial-processes.js';
import { trialPipelineText } from './trial-stack.js';

/** What the exfiltration attempts measured. */
export interface ExfiltrationFigures {
  /** Requests that tried to read a file outside the pipelines folder. */
  tried: number;
  /** Answered 4xx naming the field (`data.source`, `validate.schema`, `body.baseDir`). */
  refused: number;
  /** Answered anything else (a 202, a 5xx, a 4xx without the field). */
  accepted: number;
  /** Responses that held a byte of a secret file (canary text, /etc/passwd, the environment). */
  leaked: number;
  /** Runs recorded after all attempts (a refused submission records nothing). */
  runsRecorded: number;
  /** Attempts that were not refused, by name. */
  failures: string[];
}

const WRITE = `w-${randomBytes(12).toString('hex')}`;
const READ = `r-${randomBytes(12).toString('hex')}`;

/**
 * The exfiltration attempts of issue 12 against a real `myelin api` process on loopback, with a
 * `runs:write` token: every way of pointing `data.source` or `validate.schema` outside the
 * pipelines folder (absolute paths, `..`, `file://`, symlinks, `/proc`, `/dev`, FIFOs, `baseDir`,
 * overrides, npm: climbs, rerunning a pipeline recorded with outside data). Each must be refused
 * at submission, naming the field, with nothing recorded and no byte of a secret in any answer.
 */
export async function exfiltrationTrial(
  log: (line: string) => void = () => undefined,
): Promise<ExfiltrationFigures> {
  const root = scratch('exfil');
  const pipelines = join(root, 'pipelines');
  const home = join(root, 'home');
  mkdirSync(join(pipelines, 'team'), { recursive: true });
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  writeFileSync(join(root, 'secret.csv'), `secret\n${canary}\n`);
  writeFileSync(join(root, 'secret.json'), JSON.stringify({ aws_secret_access_key: canary }));
  writeFileSync(join(pipelines, 'rows.csv'), 'a,b\n1,x\n');
  symlinkSync(join(root, 'secret.csv'), join(pipelines, 'link.csv'));
  symlinkSync(join(root, 'secret.json'), join(pipelines, 'link.json'));
  execFileSync('mkfifo', [join(pipelines, 'fifo.json')]);
  const env = {
    MYELIN_HOME: home,
    MYELIN_API_TOKENS: `${WRITE}:read,runs:write;${READ}:read`,
    SECRET_ENV_CANARY: canary,
  };
  const procs: TrialProcess[] = [];
  const spec = (source: string, schema?: string) => {
    const text = trialPipelineText({ name: 'exfil', epochs: 1 }).replace(
      'source: npm:vega-datasets/data/penguins.json',
      `source: ${JSON.stringify(source)}\n  format: csv`,
    );
    return schema === undefined ? text : `${text}validate:\n  schema: ${JSON.stringify(schema)}\n`;
  };
  type Attempt = [name: string, body: Record<string, unknown>, field: string];
  const attempts: Attempt[] = [
    ['absolute data path', { spec: spec('/etc/passwd') }, 'data.source'],
    ['data path climbing out', { spec: spec('../secret.csv') }, 'data.source'],
    ['file:// data URL', { spec: spec(`file://${join(root, 'secret.csv')}`) }, 'data.source'],
    ['percent-encoded file:// URL', { spec: spec('file:///etc/%70asswd') }, 'data.source'],
    ['symlink out of the folder', { spec: spec('link.csv') }, 'data.source'],
    ['/proc as data', { spec: spec('/proc/self/environ') }, 'data.source'],
    ['/dev/zero as data', { spec: spec('/dev/zero') }, 'data.source'],
    [
      'npm: climbing out of its package',
      { spec: spec('npm:vega-datasets/../../../secret.csv') },
      'data.source',
    ],
    ['baseDir "/"', { spec: spec('etc/passwd'), baseDir: '/' }, 'body.baseDir'],
    ['baseDir one folder up', { spec: spec('secret.csv'), baseDir: root }, 'body.baseDir'],
    [
      'baseDir through a relative climb',
      { spec: spec('secret.csv'), baseDir: `${pipelines}/..` },
      'body.baseDir',
    ],
    [
      'override of data.source',
      { spec: spec('rows.csv'), overrides: { 'data.source': join(root, 'secret.csv') } },
      'data.source',
    ],
    ['schema elsewhere', { spec: spec('rows.csv', join(root, 'secret.json')) }, 'validate.schema'],
    ['schema climbing out', { spec: spec('rows.csv', '../secret.json') }, 'validate.schema'],
    ['schema symlinked out', { spec: spec('rows.csv', 'link.json') }, 'validate.schema'],
    ['/etc/passwd as schema', { spec: spec('rows.csv', '/etc/passwd') }, 'validate.schema'],
    ['/proc/self/environ as schema', { spec: spec('rows.csv', '/proc/self/environ') }, 'validate.schema'],
    ['/dev/zero as schema', { spec: spec('rows.csv', '/dev/zero') }, 'validate.schema'],
    ['a FIFO as schema', { spec: spec('rows.csv', 'fifo.json') }, 'validate.schema'],
    [
      'override of validate.schema',
      { spec: spec('rows.csv'), overrides: { 'validate.schema': '/etc/passwd' } },
      'validate.schema',
    ],
  ];
  const figures: ExfiltrationFigures = {
    tried: 0,
    refused: 0,
    accepted: 0,
    leaked: 0,
    runsRecorded: 0,
    failures: [],
  };
  try {
    // the operator's own CLI run with outside data: its spec text is recorded under a pipeline name
    const outside = join(root, 'outside.yaml');
    writeFileSync(outside, spec(join(root, 'secret.csv')).replace('name: exfil', 'name: recorded'));
    const cli = startMyelinProcess(['run', outside, '--allow-outside-data', '--json'], env);
    procs.push(cli);
    await cli.exited;
    attempts.push([
      'rerun of a pipeline recorded with outside data',
      { pipeline: 'recorded' },
      'data.source',
    ]);

    const api = startMyelinProcess(['api', '--port', '0', '--pipelines-dir', pipelines], env);
    procs.push(api);
    await until('the API listening', () => /listening on http:\/\/\S+/.test(api.out), 90_000);
    const url = /listening on (http:\/\/\S+)/.exec(api.out)![1]!;
    const runsBefore = await countRuns(url);
    for (const [name, body, field] of attempts) {
      figures.tried++;
      const res = await fetch(`${url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE}` },
        body: JSON.stringify({ file: 'exfil.yaml', ...body }),
      });
      const text = await res.text();
      if (text.includes(canary) || /root:x:0:0|PATH=\//.test(text)) figures.leaked++;
      const paths = res.status >= 400 && res.status < 500 ? pathsOf(text) : [];
      if (paths.includes(field)) figures.refused++;
      else {
        figures.accepted++;
        figures.failures.push(`${name}: ${res.status} ${text.slice(0, 300)}`);
      }
      log(`${name}: ${res.status} ${paths.join(', ')}`);
    }
    figures.runsRecorded = (await countRuns(url)) - runsBefore;
    return figures;
  } finally {
    await killAll(procs);
    rmSync(root, { recursive: true, force: true });
  }
}

function pathsOf(text: string): string[] {
  try {
    const body = JSON.parse(text) as { error?: { details?: { path?: string }[] } };
    return (body.error?.details ?? []).map((d) => d.path ?? '');
  } catch {
    return [];
  }
}

async function countRuns(url: string): Promise<number> {
  const res = await fetch(`${url}/api/runs?limit=500`, { headers: { authorization: `Bearer ${READ}` } });
  return ((await res.json()) as { runs: unknown[] }).runs.length;
}
