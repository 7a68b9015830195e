import { describe, expect, it } from 'vitest';
import { textOffset } from './text-offset.js';

describe('textOffset', () => {
  const text = 'a: 1\nbb: 2\n\nlast';
  it('finds a line and column', () => {
    expect(textOffset(text, 1, 1)).toBe(0);
    expect(textOffset(text, 2, 3)).toBe(7);
    expect(textOffset(text, 4)).toBe(12);
  });
  it('clamps to the line and the text', () => {
    expect(textOffset(text, 1, 99)).toBe(4);
    expect(textOffset(text, 9, 1)).toBe(text.length);
  });
});
