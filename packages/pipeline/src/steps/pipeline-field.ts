import { stat } from 'node:fs/promises';
import { MyelinError, type FaultLocation } from '@myelin/errors';
import { locateField, type LoadedSpec } from '@myelin/spec';

/**
 * Where a field is written in the pipeline file (`file:line:column field`), for errors a step finds
 * about what the field names.
 *
 * @example fieldLocation(loaded, 'data.source') // { file: '/srv/p/penguins.yaml', line: 4, column: 3, path: 'data.source' }
 */
export function fieldLocation(loaded: LoadedSpec, field: string): FaultLocation {
  const { line, column } = locateField(loaded.text, field.split('.'));
  return { file: loaded.file, line, column, path: field };
}

/**
 * Checks that the file a pipeline field names is there and is a regular file, before anything
 * hashes or reads it: a missing file is bad input located at the field, never an internal error.
 *
 * @throws MyelinError MYELIN_ERR_DATA_READ located at the field in the pipeline file
 */
export async function requireFile(loaded: LoadedSpec, field: string, path: string, display: string): Promise<void> {
  let why: string | undefined;
  try {
    if (!(await stat(path)).isFile()) why = 'it is not a regular file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    why = code === 'ENOENT' ? 'no such file' : `cannot open it (${code ?? 'error'})`;
  }
  if (why !== undefined) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `cannot read ${display}: ${why}${display === path ? '' : ` (looked for ${path})`}`,
      fieldLocation(loaded, field),
    );
  }
}
