import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MyelinError } from '@myelin/errors';
import type { ResolvedSource } from './resolved-source.js';
import { formatExtensionList, formatOfExtension, type DataFormat } from './data-formats.js';
import { resolveLocalPath } from './resolve-local-path.js';
import { isDatedSource, resolveDatedSource } from './dated-source.js';

/** Options of `resolveSource`. */
export interface ResolveSourceOptions {
  /** The folder relative paths are resolved against (the pipeline file's folder); data must lie inside it. */
  baseDir: string;
  /** Accept paths outside `baseDir` (the CLI's `--allow-outside-data`). @defaultValue false */
  allowOutside?: boolean;
  /** The format, when the extension does not say it. */
  format?: DataFormat;
  /** The pipeline field that named the source, for messages. @defaultValue 'data.source' */
  field?: string;
  /** What a path outside the folder is told to do. @defaultValue 'allow it with --allow-outside-data' */
  outsideHint?: string;
  /** The run's time (epoch ms): a dated source picks its newest file not after this day. @defaultValue Date.now() */
  now?: number;
}

/**
 * Turns a pipeline's `data.source` into an absolute file path and a format.
 * Accepts a path relative to `baseDir`, an absolute path, a `file://` URL, a dated path
 * (`data/{date:YYYY-MM-DD}.csv`: the newest matching file not after `now`, see `pickDatedFile`), or
 * `npm:<package>/<file>` (a file shipped in an installed npm package, found from `baseDir`).
 * Local paths follow `resolveLocalPath`'s folder rule (inside `baseDir` after resolving symlinks
 * unless `allowOutside`, never `/proc`, `/sys`, `/dev`); `npm:` files are exempt from the folder
 * but must stay inside their package.
 *
 * @example
 * resolveSource('npm:vega-datasets/data/penguins.json', { baseDir: 'examples/penguins' });
 * // { path: '/…/node_modules/vega-datasets/data/penguins.json', format: 'json', display: 'npm:vega-datasets/data/penguins.json' }
 * @throws MyelinError MYELIN_ERR_DATA_PATH_OUTSIDE, MYELIN_ERR_DATA_READ, MYELIN_ERR_DATA_FORMAT
 */
export function resolveSource(source: string, opts: ResolveSourceOptions): ResolvedSource {
  const baseDir = resolve(opts.baseDir);
  if (/^s3:\/\//i.test(source)) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `${source}: artifact-store URLs are not supported yet; use a local file`,
    );
  }
  let path: string;
  if (source.startsWith('npm:')) {
    path = resolveNpmFile(source, baseDir);
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source) && !/^file:/i.test(source)) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `${source}: URL scheme not supported; use a path, file://, or npm:`,
    );
  } else {
    const field = opts.field ?? 'data.source';
    const local = isDatedSource(source)
      ? resolveDatedSource(source, baseDir, opts.now ?? Date.now(), field)
      : source;
    path = resolveLocalPath(local, {
      baseDir,
      allowOutside: opts.allowOutside ?? false,
      field,
      ...(opts.outsideHint ? { outsideHint: opts.outsideHint } : {}),
    });
  }
  const ext = formatOfExtension(path);
  const format = opts.format ?? ext?.format;
  if (!format) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_FORMAT',
      `${source}: cannot tell the format from the extension "${extname(path)}"; ` +
        `use ${formatExtensionList()}, or set the format`,
    );
  }
  const display = isDatedSource(source)
    ? `${source} → ${relative(baseDir, path)}`
    : isAbsolute(source)
      ? path
      : source;
  const delimiter = format === 'csv' ? ext?.delimiter : undefined;
  return { path, format, display, ...(delimiter ? { delimiter } : {}) };
}

/** True when `path` (symlinks resolved where it exists) is not inside `baseDir`. */
function isOutside(path: string, baseDir: string): boolean {
  const real = (p: string): string => (existsSync(p) ? realpathSync(p) : p);
  const rel = relative(real(baseDir), real(path));
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Resolves `npm:<package>/<file>` (scoped names allowed) to a file inside the installed package. */
function resolveNpmFile(source: string, baseDir: string): string {
  const spec = source.slice('npm:'.length);
  const parts = spec.split('/');
  const nameParts = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const file = parts.slice(nameParts).join('/');
  if (!name || (nameParts === 2 && !parts[1]) || !file) {
    throw new MyelinError('MYELIN_ERR_DATA_READ', `${source}: expected npm:<package>/<file path>`);
  }
  const require = createRequire(join(baseDir, 'x.js'));
  let pkgDir: string | undefined;
  try {
    pkgDir = dirname(require.resolve(`${name}/package.json`));
  } catch {
    // The package's `exports` may hide package.json: look in the node_modules folders Node would search.
    for (const dir of require.resolve.paths(name) ?? []) {
      if (existsSync(join(dir, name, 'package.json'))) {
        pkgDir = join(dir, name);
        break;
      }
    }
  }
  if (!pkgDir) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `${source}: npm package "${name}" is not installed (searched from ${baseDir})`,
    );
  }
  const path = resolve(pkgDir, file);
  if (isOutside(path, pkgDir)) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_PATH_OUTSIDE',
      `${source}: the file path leaves the package folder ${pkgDir}`,
    );
  }
  return path;
}
