import { createHash } from 'node:crypto';
import { canonicalJson } from '@myelin/artifacts/canonical-json';

/** sha256 (hex) of the canonical, sorted-key JSON of a resolved spec. */
export function specHash(spec: unknown): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}
