import { MyelinError } from '@myelin/errors';

const CONTENT_KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{62})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const REF_CHARS = /^[A-Za-z0-9._/-]+$/;
const PREFIX_CHARS = /^[a-z0-9/]*$/;
/** Longest ref name accepted (characters). */
export const MAX_REF_NAME_LENGTH = 512;

/**
 * The content key of a sha256 hex digest.
 * @example contentKey('ab' + 'c'.repeat(62)) // 'sha256/ab/ccc…'
 */
export function contentKey(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) {
    throw new MyelinError('MYELIN_ERR_ARTIFACT_KEY', `"${sha256}" is not a lower-case hex sha256 digest`);
  }
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
}

/** Returns the sha256 hex of a content key, or null when `key` is not a content key. */
export function parseContentKey(key: string): string | null {
  const m = CONTENT_KEY.exec(key);
  return m ? `${m[1]}${m[2]}` : null;
}

/** Checks a content key; returns its sha256 hex or throws `MYELIN_ERR_ARTIFACT_KEY`. */
export function assertContentKey(key: unknown): string {
  const sha = typeof key === 'string' ? parseContentKey(key) : null;
  if (sha === null) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_KEY',
      `${JSON.stringify(key)} is not an artifact key: expected sha256/<2 hex>/<62 hex> (lower case)`,
    );
  }
  return sha;
}

/** Checks a ref name (`[A-Za-z0-9._/-]`, no `.`/`..`/empty segment, not absolute); throws `MYELIN_ERR_ARTIFACT_KEY`. */
export function assertRefName(name: unknown): string {
  const bad = (why: string): never => {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_KEY',
      `${JSON.stringify(name)} is not a valid ref name: ${why}`,
    );
  };
  if (typeof name !== 'string' || name.length === 0) return bad('expected a non-empty string');
  if (name.length > MAX_REF_NAME_LENGTH) return bad(`longer than ${MAX_REF_NAME_LENGTH} characters`);
  if (!REF_CHARS.test(name)) return bad('only letters, digits, ".", "_", "-" and "/" are allowed');
  for (const segment of name.split('/')) {
    if (segment === '') return bad('no leading, trailing or double "/"');
    if (segment === '.' || segment === '..') return bad('no "." or ".." segment');
  }
  return name;
}

/** Checks a ref-name prefix for `listRefs` (`''` or a name prefix, may end with `/`). */
export function assertRefPrefix(prefix: unknown): string {
  if (prefix === '') return prefix;
  if (typeof prefix !== 'string') return assertRefName(prefix);
  assertRefName(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}

/** Checks a `list` prefix: lower-case hex, digits and `/` only; throws `MYELIN_ERR_ARTIFACT_KEY`. */
export function assertListPrefix(prefix: unknown): string {
  if (
    typeof prefix !== 'string' ||
    !PREFIX_CHARS.test(prefix) ||
    prefix.includes('//') ||
    prefix.startsWith('/')
  ) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_KEY',
      `${JSON.stringify(prefix)} is not a valid list prefix: expected the start of a key like sha256/ab/…`,
    );
  }
  return prefix;
}
