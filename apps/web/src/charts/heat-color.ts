/**
 * A cell colour for a heat map: white at 0, deep blue at 1, and a text colour that stays
 * readable on it.
 *
 * @example heatColor(0) // { background: 'rgb(255, 255, 255)', color: '#0f172a' }
 */
export function heatColor(fraction: number): { background: string; color: string } {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const mix = (a: number, b: number) => Math.round(a + (b - a) * f);
  const background = `rgb(${mix(255, 29)}, ${mix(255, 78)}, ${mix(255, 216)})`;
  return { background, color: f > 0.55 ? '#ffffff' : '#0f172a' };
}
