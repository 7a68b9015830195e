import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'apps/cli/bin/myelin.js');

function myelin(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, MYELIN_NO_PROGRESS: '1', NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const header = (source: string, extra = '') => `apiVersion: myelin/v1
name: t
data:
  source: ${source}
  target: y
${extra}
model:
  layers:
    - dense: { units: 4 }
`;

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'myelin-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('myelin validate (across processes)', () => {
  it('validates the penguins example: exit 0, and the report shows its missing values', () => {
    const r = myelin(['validate', 'examples/penguins/pipeline.yaml', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status === 'passed' || out.status === 'warned').toBe(true);
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['status', 'spec', 'schema', 'profile', 'anomalies']),
    );
    const missing = Object.fromEntries(
      out.profile.columns.map((c: { name: string; missing: number }) => [c.name, c.missing]),
    );
    expect(missing.Sex).toBe(10);
    for (const c of ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'])
      expect(missing[c]).toBe(2);
  });

  it('prints a readable report with the columns table', () => {
    const r = myelin(['validate', 'examples/penguins/pipeline.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Beak Length (mm)');
    expect(r.stdout).toMatch(/valid/);
  });

  it('exits 2 with file:line:col for a wrong type in the pipeline file', () => {
    const dir = tmp({
      'p.yaml': header('d.csv', 'train:\n  optimizer: { name: adam, learningRate: fast }'),
      'd.csv': 'x,y\n1,a\n2,b\n',
    });
    const r = myelin(['validate', join(dir, 'p.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /p\.yaml:\d+:\d+ train\.optimizer\.learningRate: expected a positive number, got "fast"/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 for malformed YAML and for an unknown key with a suggestion', () => {
    const dir = tmp({
      'bad.yaml': 'apiVersion: myelin/v1\nname: [unclosed\n',
      'k.yaml': header('d.csv', 'train:\n  epoch: 3'),
      'd.csv': 'x,y\n1,a\n',
    });
    const a = myelin(['validate', join(dir, 'bad.yaml')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/bad\.yaml:\d+:\d+/);
    const b = myelin(['validate', join(dir, 'k.yaml')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/did you mean "epochs"/);
  });

  it('exits 2 for unreadable data: empty file, header-only CSV, ragged rows, missing target column', () => {
    const dir = tmp({
      'empty.yaml': header('empty.csv'),
      'empty.csv': '',
      'hdr.yaml': header('hdr.csv'),
      'hdr.csv': 'x,y\n',
      'rag.yaml': header('rag.csv'),
      'rag.csv': 'x,y\n1,a\n2,b,3\n',
      'nt.yaml': header('nt.csv'),
      'nt.csv': 'x,z\n1,a\n2,b\n',
    });
    for (const [f, pattern] of [
      ['empty.yaml', /empty/i],
      ['hdr.yaml', /header/i],
      ['rag.yaml', /rag\.csv:3: ragged row/],
      ['nt.yaml', /"?y"?/],
    ] as const) {
      const r = myelin(['validate', join(dir, f)]);
      expect(r.code, `${f}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 1 when data anomalies fail the rules (single-class target with onFailure: fail)', () => {
    const dir = tmp({
      'p.yaml': header('d.csv', 'task: binary\nvalidate:\n  onFailure: fail'),
      'd.csv': 'x,y\n1,a\n2,a\n3,a\n4,a\n',
    });
    const r = myelin(['validate', join(dir, 'p.yaml'), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('failed');
    expect(
      out.anomalies.some(
        (a: { column: string; rule: string }) => a.column === 'y' && a.rule === 'targetClasses',
      ),
    ).toBe(true);
  });

  it('refuses a data path outside the pipeline folder unless --allow-outside-data is given', () => {
    const outer = tmp({ 'data/d.csv': 'x,y\n1,a\n2,b\n3,a\n4,b\n', 'pipes/p.yaml': header('../data/d.csv') });
    const denied = myelin(['validate', join(outer, 'pipes/p.yaml')]);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/--allow-outside-data/);
    const dir = tmp({ 'p.yaml': header('../../../../../../../etc/passwd') });
    expect(myelin(['validate', join(dir, 'p.yaml')]).code).toBe(2);
    const allowed = myelin(['validate', join(outer, 'pipes/p.yaml'), '--allow-outside-data']);
    expect(allowed.code).toBe(0);
  });

  it('writes the inferred schema with --write-schema, and a pipeline can use it instead of infer', () => {
    const dir = tmp({ 'p.yaml': header('d.csv'), 'd.csv': 'x,y\n1,a\n2,b\n3,a\n4,b\n' });
    const w = myelin(['validate', join(dir, 'p.yaml'), '--write-schema', join(dir, 'schema.json')]);
    expect(w.code, w.stderr).toBe(0);
    const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
    expect(schema.columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
      ['x', 'integer'],
      ['y', 'category'],
    ]);
    writeFileSync(join(dir, 'q.yaml'), header('d.csv', 'validate:\n  schema: schema.json'));
    const u = myelin(['validate', join(dir, 'q.yaml'), '--json']);
    expect(u.code, u.stderr).toBe(0);
    expect(JSON.parse(u.stdout).schema).toEqual(schema);
  });

  it('prints the JSON Schema and help', () => {
    const s = myelin(['schema']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).properties.apiVersion).toBeTruthy();
    const h = myelin(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/validate/);
    expect(myelin(['validate', '--help']).stdout).toMatch(/--write-schema/);
  });
});
