import { createHash } from 'node:crypto';

/**
 * Whether a request goes to (canary) or is mirrored to (shadow) the candidate: a share `traffic`
 * of requests, sticky per request key when one is given (the same `X-Request-Key` always lands on
 * the same side for a given candidate version), random otherwise.
 *
 * @example
 * toCandidate(0.1, 'user-42', 7); // the same answer every time for user-42 and version 7
 */
export function toCandidate(
  traffic: number,
  key: string | undefined,
  version: number,
  random: () => number = Math.random,
): boolean {
  if (traffic <= 0) return false;
  if (traffic >= 1) return true;
  if (key === undefined || key === '') return random() < traffic;
  const h = createHash('sha1').update(`${version}:${key}`).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < traffic;
}
