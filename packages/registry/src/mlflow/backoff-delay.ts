/**
 * The wait before try number `attempt + 1` (attempt ≥ 1): `baseMs` doubled per try, capped at
 * `maxMs`, with ±25 % jitter so many rows do not retry in lock-step.
 *
 * @example
 * backoffDelay(1, 1000, 300_000) // ≈ 1 s; backoffDelay(5, 1000, 300_000) ≈ 16 s
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(raw * (0.75 + random() * 0.5)));
}
