/** The written form of a duration: a positive number and one of the units s, m, h, d. */
export const DURATION_PATTERN = /^(?=[^1-9]*[1-9])\d+(?:\.\d+)?[smhd]$/;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Seconds in a duration written as `30s`, `10m`, `1h`, `2d` (or `1.5h`); undefined when malformed.
 *
 * @example parseDuration('10m') // 600
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  const m = /^(.+)([smhd])$/.exec(text) as RegExpExecArray;
  return Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
}
