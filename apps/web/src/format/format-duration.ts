/**
 * A duration for people: milliseconds below a second, then seconds, minutes, hours.
 *
 * @example formatDuration(850) // '850 ms'; formatDuration(12_340) // '12.3 s'; formatDuration(125_000) // '2 m 05 s'
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}

/** The time between two instants, or from `start` until `now` while it is still going. */
export function elapsed(
  start: number | null | undefined,
  end: number | null | undefined,
  now = Date.now(),
): number | null {
  if (start === null || start === undefined) return null;
  return (end ?? now) - start;
}
