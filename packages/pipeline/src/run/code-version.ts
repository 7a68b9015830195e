import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { version: string; commit?: string } | undefined;

/** Myelin's own code version: the package version and, when run from a git checkout, its commit. */
export function codeVersion(): { version: string; commit?: string } {
  if (cached) return cached;
  const version = '0.1.0';
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    cached = /^[0-9a-f]{40}$/.test(commit) ? { version, commit } : { version };
  } catch {
    cached = { version };
  }
  return cached;
}
