const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let cachedDay = NaN;
let cachedPrefix = '';

/**
 * Formats epoch milliseconds (UTC) as an ISO-8601 string, like `new Date(ms).toISOString()` but
 * several times faster on sorted timestamps (the date part is cached per day).
 *
 * @example isoFromMillis(0) // '1970-01-01T00:00:00.000Z'
 */
export function isoFromMillis(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return '';
  const whole = Math.floor(ms);
  const day = Math.floor(whole / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rem = whole - day * DAY_MS;
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const m = Math.floor(rem / 60_000);
  rem -= m * 60_000;
  const s = Math.floor(rem / 1000);
  const milli = rem - s * 1000;
  const msText = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : String(milli);
  return `${cachedPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${msText}Z`;
}

/** Formats days since the epoch as an ISO date `YYYY-MM-DD`. */
export function isoFromDays(days: number): string {
  return isoFromMillis(days * DAY_MS).slice(0, 10);
}
