const P = 14;
const M = 1 << P;

/**
 * HyperLogLog distinct-count estimator with 2^14 registers (16 KiB, ~0.8% standard error).
 * Fed with two 32-bit hashes per value (see `hashCell`).
 */
export class HyperLogLog {
  private readonly registers = new Uint8Array(M);

  /** Adds one value by its hashes: `h1` picks the register, `h2` gives the rank. */
  add(h1: number, h2: number): void {
    const idx = h1 >>> (32 - P);
    const rank = Math.clz32(h2) + 1;
    if (rank > (this.registers[idx] as number)) this.registers[idx] = rank;
  }

  /** The estimated number of distinct values added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i] as number;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    const raw = (alpha * M * M) / sum;
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }
}
