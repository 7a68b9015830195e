import { MyelinError } from '@myelin/errors';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,99}$/;

function invalid(what: string, value: unknown, want: string): never {
  throw new MyelinError('MYELIN_ERR_REGISTRY', `${what} ${JSON.stringify(value)} is not valid: ${want}`);
}

/** A model name: letters, digits, `.`, `_`, `-`, starting with a letter or digit, up to 200 characters. */
export function checkModelName(name: unknown): string {
  if (typeof name !== 'string' || !MODEL_NAME.test(name)) {
    invalid('model name', name, 'use letters, digits, ".", "_" and "-", starting with a letter or digit');
  }
  return name;
}

/** An alias: starts with a letter (so `model@3` is always a version number), then letters, digits, `.`, `_`, `-`. */
export function checkAlias(alias: unknown): string {
  if (typeof alias !== 'string' || !ALIAS_NAME.test(alias)) {
    invalid(
      'alias',
      alias,
      'start with a letter, then letters, digits, ".", "_" or "-" (up to 100 characters)',
    );
  }
  return alias;
}

/** A non-empty string. */
export function checkText(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) invalid(what, value, 'expected a non-empty string');
  return value;
}

/** A value from a fixed list. */
export function checkOneOf<T extends string>(what: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) invalid(what, value, `expected one of ${allowed.join(', ')}`);
  return value as T;
}

/** A positive integer version number. */
export function checkVersion(version: unknown): number {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    invalid('version', version, 'expected a positive integer');
  }
  return version;
}
