import { MyelinError } from '@myelin/errors';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Splits an override key into field-path segments: dots between keys, `[0]` or `.0` for list
 * items, `["Body Mass (g)"]` for keys with dots or spaces (the way error messages write paths).
 *
 * @example parseOverridePath('validate.columns["Body Mass (g)"].min') // ['validate', 'columns', 'Body Mass (g)', 'min']
 * @example parseOverridePath('model.layers.0.dense.units') // ['model', 'layers', 0, 'dense', 'units']
 */
export function parseOverridePath(key: string): (string | number)[] {
  const bad = (why: string) =>
    new MyelinError('MYELIN_ERR_API_OVERRIDE', `override "${key}" is not a field path: ${why}`, {
      path: 'overrides',
    });
  const out: (string | number)[] = [];
  let i = 0;
  while (i < key.length) {
    if (key[i] === '[') {
      const end = key.indexOf(']', i);
      if (end < 0) throw bad('a "[" is not closed');
      const inner = key.slice(i + 1, end);
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else {
        try {
          const s: unknown = JSON.parse(inner);
          if (typeof s !== 'string') throw new Error('not a string');
          out.push(s);
        } catch {
          throw bad(`write [0] for a list item or ["a key"] for a key, not [${inner}]`);
        }
      }
      i = end + 1;
      if (key[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < key.length && key[j] !== '.' && key[j] !== '[') j++;
    const seg = key.slice(i, j);
    if (!seg) throw bad('it has an empty segment');
    out.push(/^\d+$/.test(seg) ? Number(seg) : seg);
    i = key[j] === '.' ? j + 1 : j;
    if (key[j] === '.' && i === key.length) throw bad('it ends with "."');
  }
  if (out.length === 0) throw bad('it is empty');
  for (const s of out) if (typeof s === 'string' && FORBIDDEN.has(s)) throw bad(`"${s}" is not allowed`);
  return out;
}
