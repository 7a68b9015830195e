import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './myelin-cli.js';

// The install path README documents: `npm link` in the clone puts `myelin` on PATH (here into a
// scratch global prefix, offline), and `npx myelin` in a project folder finds that command.
const scratch = mkdtempSync(join(tmpdir(), 'myelin-install-'));
const prefix = join(scratch, 'prefix');
const home = join(scratch, 'home');

/** The environment of a shell whose global npm prefix is the scratch one (no npm_* from the test runner). */
function shellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return {
    ...env,
    npm_config_prefix: prefix,
    PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    MYELIN_HOME: home,
    MYELIN_NO_PROGRESS: '1',
    NO_COLOR: '1',
  };
}

function sh(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, env: shellEnv(), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('installing the myelin command', () => {
  it('npm link puts a bare myelin on PATH that runs from any folder, and npx myelin in a project finds it', () => {
    const link = sh('npm', ['link', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], repoRoot);
    expect(link.code, link.stderr).toBe(0);

    const elsewhere = join(scratch, 'elsewhere');
    mkdirSync(elsewhere);
    const version = sh('myelin', ['--version'], elsewhere);
    expect(version.error).toBeUndefined();
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe('0.1.0');

    // a command that loads the libraries, on a pipeline outside the working folder
    const validate = sh('myelin', ['validate', join(repoRoot, 'examples/penguins/pipeline.yaml')], elsewhere);
    expect(validate.code, validate.stderr).toBe(0);

    const project = join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'a-project', version: '1.0.0', private: true }),
    );
    const npx = sh('npx', ['--offline', 'myelin', '--version'], project);
    expect(npx.code, npx.stderr).toBe(0);
    expect(npx.stdout.trim()).toBe('0.1.0');
  });
});
