const MAX_SLOTS = 1 << 24;
/** Below this many slots the table grows 4x at a time (fewer rehashes of a small table), then 2x. */
const QUAD_GROWTH_SLOTS = 1 << 22;

/**
 * A set of 52-bit row hashes in one open-addressing table of 32-bit word pairs (8 bytes a slot,
 * ≤ 75% full, integer arithmetic only): 11 to 21 MiB per million distinct rows past 3 million
 * (below, where the table grows 4x at a time so it is rehashed less often, up to 43), at most 128 MiB
 * (about 12.5 million rows; rows past that are not checked). Two different rows share a hash with
 * probability about n²/2^53 (≈ 0.1% at 3 million rows), so a duplicate count can, very rarely,
 * be one too high.
 */
export class RowHashSet {
  /** slot i: words[2i] = hi + 1 (0: empty), words[2i + 1] = lo */
  private words = new Uint32Array(0);
  private size = 0;
  /** True once the set stopped growing at its bound. */
  full = false;

  constructor() {
    // `words` stored a second time (`grow` stores it again) before any code is optimised: V8
    // treats a field stored only once as a constant, and the first `grow` then dropped the
    // optimised `addHas` (inlined in the analysis loop) mid-file
    this.words = new Uint32Array(2 << 16);
  }

  /** Adds a hash (`hi` 20 bits, `lo` 32 bits); true when it was already present. */
  addHas(hi: number, lo: number): boolean {
    const h = (hi & 0xfffff) + 1;
    const l = lo >>> 0;
    const words = this.words;
    const mask = (words.length >> 1) - 1;
    let i = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
    for (;;) {
      const w = words[2 * i] as number;
      if (w === 0) break;
      if (w === h && words[2 * i + 1] === l) return true;
      i = (i + 1) & mask;
    }
    if (this.full) return false;
    if ((this.size + 1) * 4 > (words.length >> 1) * 3) {
      if (words.length >> 1 >= MAX_SLOTS) {
        this.full = true;
        return false;
      }
      this.grow();
      return this.addHas(hi, lo);
    }
    words[2 * i] = h;
    words[2 * i + 1] = l;
    this.size++;
    return false;
  }

  private grow(): void {
    const old = this.words;
    const slots = old.length >> 1;
    const words = new Uint32Array(2 * Math.min(MAX_SLOTS, slots * (slots < QUAD_GROWTH_SLOTS ? 4 : 2)));
    const mask = (words.length >> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j] as number;
      if (h === 0) continue;
      const l = old[j + 1] as number;
      let i = (l ^ Math.imul(h, 0x9e3779b1)) & mask;
      while (words[2 * i] !== 0) i = (i + 1) & mask;
      words[2 * i] = h;
      words[2 * i + 1] = l;
    }
    this.words = words;
  }
}
