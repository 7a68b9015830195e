import { createHash } from 'node:crypto';
import { MLFLOW_LIMITS } from './mlflow-limits.js';

/**
 * One character MLflow allows in a param, metric or tag name. MLflow checks names against
 * `^[/\w.\- ]*$` (`_VALID_PARAM_AND_METRIC_NAMES` in `mlflow/utils/validation.py`); Python's `\w`
 * on text is any letter or digit of Unicode, or `_`.
 */
const ALLOWED_CHAR = /^[\p{L}\p{N}_/.\- ]$/u;

/** Characters (code points, as Python's `len` counts) of a string. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * `text` cut to at most `max` characters (code points, never half a surrogate pair); a cut text
 * ends with `…`.
 *
 * @example cutText('abcdef', 4) // 'abc…'
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text; // UTF-16 units ≥ code points
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

/** `key` cut so that `-<8 hex of original's sha256>` fits in MLflow's 250 characters, with that suffix. */
export function withHashSuffix(key: string, original: string): string {
  const room = MLFLOW_LIMITS.key - 9;
  return `${Array.from(key).slice(0, room).join('')}-${shortHash(original)}`;
}

/**
 * A Myelin name (a spec field path such as `validate.columns.Body Mass (g).max`, a metric or tag
 * name) as a name MLflow accepts for a param, metric or tag, changed as little as possible:
 *
 * - every character outside MLflow's alphabet (letters, digits, `_ - . /` and space) becomes `_`
 *   (`Body Mass (g)` → `Body Mass _g_`);
 * - MLflow treats names as file paths and refuses one that a path normalisation changes, so an
 *   empty, `.` or `..` segment between slashes becomes `_` / `__`, and a leading `..` becomes `_.`;
 * - an empty name becomes `_`;
 * - a name longer than 250 characters is cut and ends with `-` and 8 hex digits of the original
 *   name's sha256, so two long names stay apart.
 *
 * Names MLflow accepts come back unchanged. The mapping is not one-to-one by itself (`a(b` and
 * `a)b` both give `a_b`): `MlflowKeyMap` resolves such clashes and records the originals.
 *
 * @example toMlflowKey('validate.columns.Body Mass (g).max') // 'validate.columns.Body Mass _g_.max'
 */
export function toMlflowKey(name: string): string {
  let key = Array.from(name, (c) => (ALLOWED_CHAR.test(c) ? c : '_')).join('');
  key = key
    .split('/')
    .map((segment) => (segment === '' || segment === '.' ? '_' : segment === '..' ? '__' : segment))
    .join('/');
  if (key.startsWith('..')) key = `_${key.slice(1)}`;
  if (codePoints(key) > MLFLOW_LIMITS.key) key = withHashSuffix(key, name);
  return key;
}

/**
 * A registered-model alias as MLflow accepts it (`^[\w\-]*$`, at most 255 characters, not
 * `latest` nor `v<digits>`), or null when the Myelin alias cannot be one: MLflow then refuses the
 * alias move, and the mirror reports it instead of sending it.
 */
export function mlflowAliasProblem(alias: string): string | null {
  if (alias === '') return 'an MLflow alias cannot be empty';
  if (!/^[\p{L}\p{N}_-]*$/u.test(alias))
    return `MLflow aliases may only contain letters, digits, "_" and "-": "${alias}"`;
  if (codePoints(alias) > MLFLOW_LIMITS.alias)
    return `the alias is longer than ${MLFLOW_LIMITS.alias} characters`;
  if (alias.toLowerCase() === 'latest') return 'MLflow reserves the alias "latest"';
  if (/^[vV]\d+$/.test(alias)) return `MLflow reserves version aliases such as "${alias}"`;
  return null;
}
