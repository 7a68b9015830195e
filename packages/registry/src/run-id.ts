import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case: ASCII order = value order
let lastTime = -1;
let lastRandom = 0n;

/**
 * A new sortable run id: `r-` + a lower-case ULID (10 chars of epoch ms, 16 of randomness).
 * Ids made later sort after earlier ones; inside one process they are strictly increasing even
 * within one millisecond.
 *
 * @example newRunId() // 'r-01jdxq6k3v8m2c4t7w9y0z1a2b'
 */
export function newRunId(now: number = Date.now()): string {
  let random: bigint;
  if (now <= lastTime) {
    now = lastTime;
    random = lastRandom + 1n;
  } else {
    random = BigInt(`0x${randomBytes(10).toString('hex')}`);
  }
  lastTime = now;
  lastRandom = random & ((1n << 80n) - 1n);
  return `r-${encode(BigInt(now), 10)}${encode(lastRandom, 16)}`;
}

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
