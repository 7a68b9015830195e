import { LineCounter, parseDocument } from 'yaml';
import { locateNode } from './locate-node.js';
import type { TextPosition } from './yaml-position.js';

/**
 * Where a field of a pipeline file's text is written (its key), for errors found after parsing,
 * e.g. a data path the queue API refuses. A field the text does not hold gives the deepest entry
 * that exists.
 *
 * @example locateField('apiVersion: myelin/v1\ndata:\n  source: /etc/passwd\n', ['data', 'source']) // { line: 3, column: 3 }
 */
export function locateField(text: string, path: readonly (string | number)[]): TextPosition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return locateNode(doc, lineCounter, path);
}
