import type { LineCounter } from 'yaml';

/** A 1-based line and column in a text. */
export interface TextPosition {
  line: number;
  column: number;
}

/** The 1-based line and column of a character offset. */
export function positionAt(lineCounter: LineCounter, offset: number): TextPosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
