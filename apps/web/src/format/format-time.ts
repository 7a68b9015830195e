/**
 * When something happened, relative while recent ('12 s ago', '5 min ago', '3 h ago') and as a
 * local date and time after a day.
 *
 * @example formatTime(now - 90_000, now) // '1 min ago'
 */
export function formatTime(at: number | null | undefined, now = Date.now()): string {
  if (at === null || at === undefined || !Number.isFinite(at)) return '–';
  const d = Math.max(0, now - at);
  if (d < 5_000) return 'just now';
  if (d < 60_000) return `${Math.floor(d / 1000)} s ago`;
  if (d < 3_600_000) return `${Math.floor(d / 60_000)} min ago`;
  if (d < 86_400_000) return `${Math.floor(d / 3_600_000)} h ago`;
  return formatDateTime(at);
}

/** An absolute local date and time, `2025-03-04 14:05:09`, for titles and tables. */
export function formatDateTime(at: number | null | undefined): string {
  if (at === null || at === undefined || !Number.isFinite(at)) return '–';
  const t = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}
