/**
 * A metric value with 4 significant digits, integers as they are, and the odd values named.
 *
 * @example formatNumber(0.912345) // '0.9123'; formatNumber(1234) // '1234'; formatNumber(NaN) // 'NaN'
 */
export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** A count with thousands separators: 12,345. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

/** A fraction as a percentage with one decimal: 0.0523 → '5.2 %'. */
export function formatPercent(f: number | null | undefined): string {
  if (f === null || f === undefined || !Number.isFinite(f)) return '–';
  return `${(f * 100).toFixed(1)} %`;
}
