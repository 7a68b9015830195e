import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MyelinError } from '@myelin/errors';

/** Options of {@link resolveLocalPath}. */
export interface LocalPathOptions {
  /** The folder relative paths resolve against (the pipeline file's folder); the file must lie inside it. */
  baseDir: string;
  /** Accept a path outside `baseDir` (the CLI's `--allow-outside-data`). @defaultValue false */
  allowOutside?: boolean;
  /** The pipeline field that named the path, for messages and the error's location, e.g. `validate.schema`. */
  field: string;
  /** What a path outside the folder is told to do. @defaultValue 'allow it with --allow-outside-data' */
  outsideHint?: string;
}

/**
 * Kernel pseudo-filesystems: their "files" are process state and devices, never data, whatever
 * `--allow-outside-data` says.
 */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

/** The path with symlinks resolved where it exists (else as given). */
function real(p: string): string {
  try {
    return existsSync(p) ? realpathSync(p) : p;
  } catch {
    return p;
  }
}

/** True when `path` is `dir` or lies below it. */
function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Turns a path the pipeline file names (relative to its folder, absolute, or a `file://` URL) into
 * an absolute path, enforcing the one folder rule every such path follows: after resolving
 * symlinks it must lie inside `baseDir` unless `allowOutside`, never in `/proc`, `/sys` or `/dev`,
 * and be a regular file when it exists (no FIFO or folder). A missing file is not an error here.
 * Messages name the field and the resolved path, never the file's content.
 *
 * @example resolveLocalPath('schema.json', { baseDir: '/srv/pipelines', field: 'validate.schema' }) // '/srv/pipelines/schema.json'
 * @throws MyelinError MYELIN_ERR_DATA_PATH_OUTSIDE (outside the folder, or a system path), MYELIN_ERR_DATA_READ (a bad file URL, not a regular file)
 */
export function resolveLocalPath(raw: string, opts: LocalPathOptions): string {
  const baseDir = resolve(opts.baseDir);
  let path: string;
  if (/^file:/i.test(raw)) {
    try {
      path = fileURLToPath(raw);
    } catch (e) {
      throw new MyelinError(
        'MYELIN_ERR_DATA_READ',
        `${raw}: not a valid file URL (${(e as Error).message})`,
        { path: opts.field },
      );
    }
  } else {
    path = resolve(baseDir, raw);
  }
  const target = real(path);
  if (SYSTEM_ROOTS.some((root) => isInside(path, root) || isInside(target, root))) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_PATH_OUTSIDE',
      `${raw} resolves to ${target}, a system path (/proc, /sys, /dev); name a regular file in the pipeline folder`,
      { path: opts.field },
    );
  }
  if (!opts.allowOutside && !isInside(target, real(baseDir))) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_PATH_OUTSIDE',
      `${raw} resolves to ${target}, outside the pipeline folder ${baseDir}; ` +
        (opts.outsideHint ?? 'allow it with --allow-outside-data'),
      { path: opts.field },
    );
  }
  let info;
  try {
    info = statSync(target);
  } catch {
    return path; // missing: the reader says so when it gets there
  }
  if (!info.isFile()) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `${raw} is ${info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a FIFO' : 'not a regular file'}; name a regular file`,
      { path: opts.field },
    );
  }
  return path;
}
