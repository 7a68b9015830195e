const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Parses a plain decimal number (`-12`, `3.25`, `.5`, `1e-7`, `+4.`) from ASCII bytes
 * `buf[start..end)` without making a string. Returns NaN when the text is not of that simple form or
 * needs more care than the fast path gives (over 15 significant digits, a large exponent): the
 * caller then falls back to `Number(text)`. When it returns a number, that number is exactly what
 * `Number(text)` gives: the significand (< 10^15) and the power of ten (≤ 10^22) are both exact
 * doubles, so one multiplication or division rounds correctly (Clinger's fast path).
 *
 * @example parseDecimalBytes(Buffer.from('-2.5'), 0, 4) // -2.5
 */
export function parseDecimalBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let c = buf[i] as number;
  let neg = false;
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let m = 0;
  let digits = 0;
  let sawDigit = false;
  let exp = 0;
  while (i < end) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) break;
    sawDigit = true;
    if (m !== 0 || d !== 0) {
      if (++digits > 15) return NaN;
      m = m * 10 + d;
    }
    i++;
  }
  if (i < end && buf[i] === 46) {
    i++;
    while (i < end) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) break;
      sawDigit = true;
      if (m !== 0 || d !== 0) {
        if (++digits > 15) return NaN;
        m = m * 10 + d;
      }
      exp--;
      i++;
    }
  }
  if (!sawDigit) return NaN;
  if (i < end) {
    c = buf[i] as number;
    if (c !== 101 && c !== 69) return NaN;
    i++;
    let eneg = false;
    if (buf[i] === 45) {
      eneg = true;
      i++;
    } else if (buf[i] === 43) i++;
    let e = 0;
    let ed = 0;
    while (i < end) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) return NaN;
      e = e * 10 + d;
      if (++ed > 4) return NaN;
      i++;
    }
    if (ed === 0) return NaN;
    exp += eneg ? -e : e;
  }
  let v: number;
  if (m === 0) v = 0;
  else if (exp === 0) v = m;
  else if (exp > 0 && exp <= 22) v = m * (POW10[exp] as number);
  else if (exp < 0 && exp >= -22) v = m / (POW10[-exp] as number);
  else return NaN;
  return neg ? -v : v;
}

/**
 * True when `Number()` could read the bytes as a number: only digits, `.`, `e`/`E` and signs (a
 * sign first or right after the `e`), or a signed `Infinity`. Bytes that fail this are text.
 */
export function maybeNumeric(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  const c0 = buf[i] as number;
  if (c0 === 43 || c0 === 45) i++;
  if (end - i === 8 && buf[i] === 73) return true; // [+-]Infinity: let Number() decide
  for (; i < end; i++) {
    const c = buf[i] as number;
    if ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69) continue;
    if ((c === 43 || c === 45) && i > start && (buf[i - 1] === 101 || buf[i - 1] === 69)) continue;
    return false;
  }
  return true;
}
