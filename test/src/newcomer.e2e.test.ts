import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { myelin, scratchFolders } from './myelin-cli.js';

const tmp = scratchFolders();

/** A small binary problem (0/1 target, one row without a target) and a pipeline over it. */
function binaryPipeline(dir: string, opts: { source?: string; onFailure?: 'warn' | 'fail' } = {}): string {
  const rows = ['x1,x2,y'];
  for (let i = 0; i < 120; i++) {
    const x1 = ((i * 37) % 101) / 10;
    const x2 = ((i * 53) % 97) / 10;
    rows.push(`${x1},${x2},${x1 + x2 > 10 ? 1 : 0}`);
  }
  rows.push('4.2,3.3,');
  writeFileSync(join(dir, 'rows.csv'), `${rows.join('\n')}\n`);
  const file = join(dir, 'binary.yaml');
  writeFileSync(
    file,
    `apiVersion: myelin/v1
name: newcomer
data:
  source: ${opts.source ?? './rows.csv'}
  target: y
validate:
  onFailure: ${opts.onFailure ?? 'warn'}
model:
  layers:
    - dense: { units: 8, activation: relu }
train:
  epochs: 60
  batchSize: 16
  seed: 1
  optimizer: { name: adam, learningRate: 0.05 }
  earlyStopping: { monitor: val_loss, patience: 2, restoreBestWeights: true }
evaluate:
  gates: { accuracy: { min: 0.5 } }
`,
  );
  return file;
}

describe('what a newcomer meets (real processes)', () => {
  it('a missing data file is bad input (exit 2) at data.source file:line, not an internal error', () => {
    const dir = tmp('missing');
    const file = binaryPipeline(dir, { source: './nowhere.csv' });
    const r = myelin(['run', file], tmp('home-missing'));
    expect(r.code, r.stderr).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`${file}:4:3 data.source: cannot read ./nowhere.csv: no such file`);
    expect(out).toContain('MYELIN_ERR_DATA_READ');
    expect(out).not.toContain('MYELIN_ERR_INTERNAL');
    expect(out).not.toContain('ENOENT');
  });

  it('validate ends with a verdict that agrees with its counts, and names the inferred task', () => {
    const dir = tmp('validate');
    const r = myelin(['validate', binaryPipeline(dir)], tmp('home-validate'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Anomalies: 1 error\(s\), 0 warning\(s\)/);
    expect(r.stdout).toContain('task: binary, inferred from the target "y"');
    expect(r.stdout).toContain('1 error: validate.onFailure is warn, so a run goes on');
    expect(r.stdout).not.toContain('valid, with warnings');
  });

  it('run shows the validation findings, the inferred task and what early stopping kept; runs has a header; alias history names the account without $USER', () => {
    const dir = tmp('run');
    const home = tmp('home-run');
    const r = myelin(['run', binaryPipeline(dir)], home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/! error: "y" targetMissing: 1 row\(s\) have no target value/);
    expect(r.stderr).toContain('! 1 error: validate.onFailure is warn, so a run goes on');
    expect(r.stderr).toMatch(/! task: binary, inferred from the target "y" \(2 classes\)/);
    expect(r.stderr).toMatch(
      /! early stopping: (stopped after epoch \d+ of 60|ran all 60 epochs).*kept the weights of (epoch \d+|the last epoch)/,
    );

    const runs = myelin(['runs'], home);
    expect(runs.code, runs.stderr).toBe(0);
    const [header, row] = runs.stdout.split('\n');
    expect(header).toMatch(/^RUN\s+PIPELINE\s+STATUS\s+TRIGGER\s+STARTED\s+TOOK\s+MODEL\s+PARENT$/);
    expect(row).toMatch(/^r-\w+\s+newcomer\s+succeeded\s+cli\s/);
    const badStatus = myelin(['runs', '--status', 'succeded'], home);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('did you mean "succeeded"?');

    const noUser = { USER: '', LOGNAME: '' };
    const set = myelin(
      ['alias', 'set', 'newcomer', 'production', '1', '--why', 'first'],
      home,
      undefined,
      noUser,
    );
    expect(set.code, set.stderr).toBe(0);
    const history = myelin(['models', 'newcomer'], home);
    expect(history.stdout).toMatch(/production: - → 1 {2}by cli:\S+ \(first\)/);
    expect(history.stdout).not.toContain('cli:unknown');
  });
});
