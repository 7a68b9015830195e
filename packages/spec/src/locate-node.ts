import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { positionAt, type TextPosition } from './yaml-position.js';

/**
 * Where the YAML node for a field path is written. For a mapping entry this is its key (so
 * `learningRate: fast` points at `learningRate`); for a list item, the item. When the path goes
 * past what the file holds (a missing field), the deepest entry that exists is given.
 *
 * @example locateNode(doc, lineCounter, ['train', 'optimizer', 'learningRate']) // { line: 14, column: 5 }
 */
export function locateNode(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): TextPosition {
  let node: unknown = doc.contents;
  let mark: Node | undefined = isNode(node) ? node : undefined;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      mark = isNode(pair.key) ? pair.key : mark;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      mark = item;
      node = item;
    } else break;
  }
  return positionAt(lineCounter, mark?.range?.[0] ?? 0);
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && 'range' in value;
}
