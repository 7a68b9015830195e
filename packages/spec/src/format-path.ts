const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Writes a field path the way a person reads it: dots between plain keys, `[0]` for list items,
 * `["Beak Length (mm)"]` for keys with spaces, dots or other characters.
 *
 * @example formatPath(['validate', 'columns', 'Beak Length (mm)', 'min']) // 'validate.columns["Beak Length (mm)"].min'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
