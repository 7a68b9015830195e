// Which entry `myelin` runs: the compiled build in dist/ (no TypeScript loader) when it exists and
// none of the files it was compiled from changed since (each is stat'ed, a few milliseconds), else
// undefined, and bin/myelin.js runs the sources through tsx: a checkout edited or pulled after
// `npm ci` never runs stale code. MYELIN_FROM_SOURCE=1 always runs the sources.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * @param {string} cliDir the apps/cli folder
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ entry: string } | { entry: undefined, why: string }}
 */
export function compiledEntry(cliDir, env = process.env) {
  if (env.MYELIN_FROM_SOURCE === '1') return { entry: undefined, why: 'MYELIN_FROM_SOURCE=1' };
  const dist = join(cliDir, 'dist');
  let info;
  try {
    info = JSON.parse(readFileSync(join(dist, 'build-info.json'), 'utf8'));
  } catch {
    return { entry: undefined, why: 'no compiled build (npm run build -w @myelin/cli makes one)' };
  }
  const root = resolve(cliDir, '..', '..');
  for (const input of info.inputs) {
    let mtime;
    try {
      mtime = statSync(join(root, input)).mtimeMs;
    } catch {
      return { entry: undefined, why: `${input} is gone since the build` };
    }
    if (mtime > info.builtAt) return { entry: undefined, why: `${input} changed since the build` };
  }
  return { entry: join(dist, 'main.js') };
}
