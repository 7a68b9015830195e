import { describe, expect, it } from 'vitest';
import { heatColor } from './heat-color.js';

describe('heatColor', () => {
  it('goes from white to blue and flips the text colour on dark cells', () => {
    expect(heatColor(0)).toEqual({ background: 'rgb(255, 255, 255)', color: '#0f172a' });
    expect(heatColor(1)).toEqual({ background: 'rgb(29, 78, 216)', color: '#ffffff' });
    expect(heatColor(7)).toEqual(heatColor(1));
    expect(heatColor(Number.NaN)).toEqual(heatColor(0));
  });
});
