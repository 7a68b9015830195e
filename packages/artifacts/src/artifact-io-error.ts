import { MyelinError } from '@myelin/errors';

/**
 * Turns a filesystem error into `MYELIN_ERR_ARTIFACT_IO` with a message that names the path and
 * says what to do. A `MyelinError` passes through unchanged.
 *
 * @example
 * try { await mkdir(dir) } catch (e) { throw toArtifactIoError(e, dir, 'create') }
 */
export function toArtifactIoError(err: unknown, path: string, action: string): MyelinError {
  if (err instanceof MyelinError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const base = `cannot ${action} ${path}`;
  let detail: string;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      detail = `${base}: disk full (${code}); free space on that disk or point the artifact store at another folder`;
      break;
    case 'EACCES':
    case 'EPERM':
      detail = `${base}: not writable (${code}); fix the folder's permissions or point the artifact store at a folder you own`;
      break;
    case 'EROFS':
      detail = `${base}: the file system is read-only (EROFS); point the artifact store at a writable folder`;
      break;
    case 'ENOTDIR':
    case 'EEXIST':
      detail = `${base}: a part of the path is a file, not a folder (${code}); remove that file or choose another artifact root`;
      break;
    case 'EMFILE':
    case 'ENFILE':
      detail = `${base}: too many open files (${code}); raise the open-file limit (ulimit -n)`;
      break;
    default:
      detail = `${base}: ${err instanceof Error ? err.message : String(err)}`;
  }
  return new MyelinError('MYELIN_ERR_ARTIFACT_IO', detail, { file: path }, { cause: err });
}
