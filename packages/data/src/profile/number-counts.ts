const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** The zeros `NumberCounts.countAll` counted aside. */
const ZEROS = new Float64Array(1);

/**
 * Exact counts of distinct numbers in one open-addressing table of typed arrays (no boxed
 * numbers, no Map entries): 17 bytes a slot, at most half full. `-0` counts as `0` and all NaNs
 * as one value, as a `Map` would key them.
 *
 * @example
 * const c = new NumberCounts();
 * c.add(2.5); c.add(2.5, 3);
 * c.get(2.5); // 4
 */
export class NumberCounts {
  size = 0;
  private keys = new Float64Array(0);
  private counts = new Float64Array(0);
  private used = new Uint8Array(0);
  private nan = 0;

  constructor() {
    // the tables stored a second time (`grow` stores them again) before any code is optimised:
    // V8 treats a field stored only once as a constant, and the first `grow` then dropped the
    // optimised code that read them
    this.keys = new Float64Array(16);
    this.counts = new Float64Array(16);
    this.used = new Uint8Array(16);
  }

  /** Adds `n` occurrences of `x`; true when `x` was not counted before. */
  add(x: number, n = 1): boolean {
    if (x !== x) {
      const fresh = this.nan === 0;
      this.nan += n;
      if (fresh) this.size++;
      return fresh;
    }
    if (x === 0) x = 0; // -0
    const mask = this.keys.length - 1;
    let i = slot(x) & mask;
    const keys = this.keys;
    const used = this.used;
    while (used[i] === 1) {
      if (keys[i] === x) {
        (this.counts[i] as number) += n;
        return false;
      }
      i = (i + 1) & mask;
    }
    used[i] = 1;
    keys[i] = x;
    this.counts[i] = n;
    this.size++;
    if (this.size * 2 > keys.length) this.grow();
    return true;
  }

  /**
   * Adds each of the first `k` values of `xs` (finite numbers) once, until `limit` distinct values
   * are counted; returns how many values it took (`k`, or fewer when it stopped at the limit).
   */
  addAll(xs: Float64Array, k: number, limit: number): number {
    ZEROS[0] = 0;
    const taken = this.countAll(xs, k, limit);
    const zeros = ZEROS[0] as number;
    if (zeros > 0) this.add(0, zeros);
    return taken;
  }

  /**
   * `addAll`'s loop, with the zeros it counted aside left in `ZEROS[0]`. It returns right after
   * its loop: V8 compiles the loop on the stack (OSR) on the first call, and code after it that
   * had not run yet would make that compiled loop bail out again on every later call.
   */
  private countAll(xs: Float64Array, k: number, limit: number): number {
    let keys = this.keys;
    let counts = this.counts;
    let used = this.used;
    let mask = keys.length - 1;
    // runs of one value skip the hash: the last value's slot is kept
    let last = NaN;
    let lastSlot = -1;
    // zeros (the most common value of sparse data, runs or not) are counted aside once 0 is in the table
    let zeroIn = this.get(0) > 0;
    for (let j = 0; j < k; j++) {
      let x = xs[j] as number;
      if (x === 0 && zeroIn) {
        (ZEROS[0] as number)++;
        continue;
      }
      if (x === last) {
        (counts[lastSlot] as number)++;
        continue;
      }
      if (x === 0) x = 0;
      F64[0] = x;
      let h = (U32[0] as number) ^ Math.imul(U32[1] as number, 0x9e3779b1);
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      let i = h & mask;
      for (;;) {
        if (used[i] === 0) {
          used[i] = 1;
          keys[i] = x;
          counts[i] = 1;
          if (x === 0) zeroIn = true;
          last = NaN; // the slot may move when the table grows
          if (++this.size * 2 > keys.length) {
            this.grow();
            keys = this.keys;
            counts = this.counts;
            used = this.used;
            mask = keys.length - 1;
          }
          if (this.size >= limit) return j + 1;
          break;
        }
        if (keys[i] === x) {
          (counts[i] as number)++;
          last = x;
          lastSlot = i;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    return k;
  }

  /** How often `x` was counted (0 when never). */
  get(x: number): number {
    if (x !== x) return this.nan;
    if (x === 0) x = 0;
    const mask = this.keys.length - 1;
    let i = slot(x) & mask;
    while (this.used[i] === 1) {
      if (this.keys[i] === x) return this.counts[i] as number;
      i = (i + 1) & mask;
    }
    return 0;
  }

  /** Every counted number with its count (NaN last), in no particular order. */
  *entries(): Generator<[number, number]> {
    for (let i = 0; i < this.keys.length; i++)
      if (this.used[i] === 1) yield [this.keys[i] as number, this.counts[i] as number];
    if (this.nan > 0) yield [NaN, this.nan];
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const oldUsed = this.used;
    const n = oldKeys.length * 2;
    this.keys = new Float64Array(n);
    this.counts = new Float64Array(n);
    this.used = new Uint8Array(n);
    const mask = n - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldUsed[j] !== 1) continue;
      const x = oldKeys[j] as number;
      let i = slot(x) & mask;
      while (this.used[i] === 1) i = (i + 1) & mask;
      this.used[i] = 1;
      this.keys[i] = x;
      this.counts[i] = oldCounts[j] as number;
    }
  }
}

function slot(x: number): number {
  F64[0] = x;
  let h = (U32[0] as number) ^ Math.imul(U32[1] as number, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
