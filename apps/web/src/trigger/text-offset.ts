/**
 * The character offset of a 1-based line and column in a text (what a textarea selection needs),
 * clamped to the text.
 *
 * @example textOffset('a: 1\nbb: 2\n', 2, 3) // 7
 */
export function textOffset(text: string, line: number, column = 1): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(offset + Math.max(0, column - 1), lineEnd);
}
