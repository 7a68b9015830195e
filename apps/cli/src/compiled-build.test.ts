import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../bin/compiled-entry.mjs';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const root = join(cliDir, '..', '..');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'myelin-cli-build-'));
  dirs.push(d);
  return d;
};

describe('compiledEntry (which entry bin/myelin.js runs)', () => {
  /** A checkout in a temp folder: apps/cli/dist/build-info.json over two source files. */
  function checkout(builtAt: number): { cli: string; file: (name: string) => string } {
    const top = tempDir();
    const cli = join(top, 'apps', 'cli');
    mkdirSync(join(cli, 'dist'), { recursive: true });
    mkdirSync(join(top, 'packages', 'a', 'src'), { recursive: true });
    const file = (name: string): string => join(top, 'packages', 'a', 'src', name);
    for (const name of ['index.ts', 'b.ts']) {
      writeFileSync(file(name), 'export {};\n');
      utimesSync(file(name), new Date(builtAt - 60_000), new Date(builtAt - 60_000));
    }
    writeFileSync(
      join(cli, 'dist', 'build-info.json'),
      JSON.stringify({ builtAt, inputs: ['packages/a/src/index.ts', 'packages/a/src/b.ts'] }),
    );
    return { cli, file };
  }

  it('runs the build when no input changed since it was made', () => {
    const { cli } = checkout(Date.now());
    expect(compiledEntry(cli, {})).toEqual({ entry: join(cli, 'dist', 'main.js') });
  });

  it('runs the sources when an input is newer than the build, naming it', () => {
    const built = Date.now() - 10_000;
    const { cli, file } = checkout(built);
    utimesSync(file('b.ts'), new Date(), new Date());
    expect(compiledEntry(cli, {})).toEqual({ entry: undefined, why: 'packages/a/src/b.ts changed since the build' });
  });

  it('runs the sources when an input is gone, when there is no build, and when asked to', () => {
    const { cli, file } = checkout(Date.now());
    expect(compiledEntry(cli, { MYELIN_FROM_SOURCE: '1' })).toEqual({ entry: undefined, why: 'MYELIN_FROM_SOURCE=1' });
    rmSync(file('index.ts'));
    expect(compiledEntry(cli, {}).entry).toBeUndefined();
    expect(compiledEntry(cli, {})).toMatchObject({ why: 'packages/a/src/index.ts is gone since the build' });
    rmSync(join(cli, 'dist'), { recursive: true });
    expect(compiledEntry(cli, {})).toMatchObject({ entry: undefined, why: expect.stringMatching(/no compiled build/) });
  });
});

describe('the compiled CLI (scripts/build.mjs)', () => {
  it('builds, and the build validates a pipeline with no TypeScript loader in the process', () => {
    const out = join(tempDir(), 'dist');
    const build = spawnSync(process.execPath, [join(cliDir, 'scripts', 'build.mjs'), '--outdir', out], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    // the inputs it lists (what bin/myelin.js checks for staleness) are the checkout's files
    const info = JSON.parse(readFileSync(join(out, 'build-info.json'), 'utf8')) as { inputs: string[] };
    expect(info.inputs).toContain('apps/cli/src/main.ts');
    expect(info.inputs).toContain('packages/pipeline/package.json');
    expect(info.inputs.filter((p) => !existsSync(join(root, p)))).toEqual([]);
    // the CSV scan worker is compiled beside the chunk that starts it (no tsx in the thread)
    expect(existsSync(join(out, 'csv', 'csv-scan-worker.js'))).toBe(true);
    // a plain node process (no --import tsx): every import of the build must be JavaScript
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { main } = await import(${JSON.stringify(pathToFileURL(join(out, 'main.js')).href)});` +
          `process.exitCode = await main(['node', 'myelin', 'validate', 'examples/penguins/pipeline.yaml']);`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.stderr).not.toMatch(/Unknown file extension|ERR_/);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/valid/);
  }, 60_000);
});
