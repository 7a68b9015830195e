/**
 * Decodes `count` values of Parquet's RLE / bit-packed hybrid encoding (definition levels,
 * dictionary indices) of `bitWidth` bits from `bytes[offset..end)` into `out[0..count)`.
 * @throws Error when the runs end before `count` values.
 */
export function decodeRleHybrid(
  bytes: Uint8Array,
  offset: number,
  end: number,
  bitWidth: number,
  count: number,
  out: Int32Array,
): void {
  if (bitWidth > 32) throw new Error(`Parquet RLE bit width ${bitWidth} is over 32`);
  const width = Math.ceil(bitWidth / 8);
  const mask = bitWidth === 32 ? -1 : (1 << bitWidth) - 1;
  let pos = offset;
  let n = 0;
  while (n < count) {
    if (pos >= end) throw new Error(`Parquet RLE data ends after ${n} of ${count} values`);
    let header = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[pos++] as number;
      header += (b & 0x7f) * scale;
      if (!(b & 0x80)) break;
      scale *= 128;
      if (pos >= end) throw new Error('Parquet RLE run header runs past its data');
    }
    const start = pos;
    if (header % 2 === 0) {
      // a run: one value repeated
      const run = header / 2;
      let value = 0;
      for (let k = 0; k < width; k++) value |= (bytes[pos + k] as number) << (8 * k);
      pos += width;
      const stop = Math.min(count, n + run);
      out.fill(value, n, stop);
      n = stop;
    } else {
      // bit-packed groups of 8 values, least significant bit first
      const values = Math.min(((header - 1) / 2) * 8, count - n);
      if (bitWidth <= 24) {
        // the bytes the values take, checked once (the loop reads no byte past them)
        if (start + Math.ceil((values * bitWidth) / 8) > end) throw new Error('Parquet bit-packed run runs past its data');
        let acc = 0;
        let bits = 0;
        for (let k = 0; k < values; k++) {
          while (bits < bitWidth) {
            acc |= (bytes[pos++] as number) << bits;
            bits += 8;
          }
          out[n++] = acc & mask;
          acc >>>= bitWidth;
          bits -= bitWidth;
        }
        pos = start + Math.ceil((((header - 1) / 2) * 8 * bitWidth) / 8);
      } else {
        for (let k = 0; k < values; k++) {
          let value = 0;
          for (let b = 0; b < bitWidth; b++) {
            const bit = k * bitWidth + b;
            const at = start + (bit >> 3);
            if (at >= end) throw new Error('Parquet bit-packed run runs past its data');
            if (((bytes[at] as number) >> (bit & 7)) & 1) value |= 1 << b;
          }
          out[n++] = value;
        }
        pos = start + ((header - 1) / 2) * bitWidth;
      }
    }
  }
}
