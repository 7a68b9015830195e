const MAX_SLOTS = 1 << 24;

/**
 * A set of 52-bit row hashes in one open-addressing Float64Array (8 bytes a slot, ≤ 50% full):
 * 16 MiB per million distinct rows, at most 128 MiB (about 8.4 million rows; rows past that are
 * not checked). Two different rows share a hash with probability about n²/2^53 (≈ 0.1% at
 * 3 million rows), so a duplicate count can, very rarely, be one too high.
 */
export class RowHashSet {
  private slots = new Float64Array(1 << 16);
  private size = 0;
  /** True once the set stopped growing at its bound. */
  full = false;

  /** Adds a hash (`hi` 20 bits, `lo` 32 bits); true when it was already present. */
  addHas(hi: number, lo: number): boolean {
    const key = (hi & 0xfffff) * 4294967296 + (lo >>> 0) + 1;
    const found = this.probe(key);
    if (found) return true;
    if (this.full) return false;
    if ((this.size + 1) * 2 > this.slots.length) {
      if (this.slots.length >= MAX_SLOTS) {
        this.full = true;
        return false;
      }
      this.grow();
    }
    this.insert(key);
    this.size++;
    return false;
  }

  private probe(key: number): boolean {
    const mask = this.slots.length - 1;
    let i = (key ^ (key / 4294967296)) & mask;
    for (;;) {
      const s = this.slots[i] as number;
      if (s === 0) return false;
      if (s === key) return true;
      i = (i + 1) & mask;
    }
  }

  private insert(key: number): void {
    const mask = this.slots.length - 1;
    let i = (key ^ (key / 4294967296)) & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = key;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const key of old) if (key !== 0) this.insert(key);
  }
}
