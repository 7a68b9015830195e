import { MyelinError, MyelinErrorList } from '@myelin/errors';
import { formatPath } from '@myelin/spec';
import { parseOverridePath } from './override-path.js';
import { specYaml, type YamlNode, type YamlPair } from './spec-yaml.js';

/** One text edit made by an override: lines [startLine, startLine + oldLines) became `newLines` lines. */
export interface OverrideEdit {
  /** The override key as the client wrote it. */
  key: string;
  /** The override's field path as messages write it (`train.epochs`). */
  path: string;
  startLine: number;
  oldLines: number;
  newLines: number;
}

/** Pipeline text with overrides applied, and the edits (to point messages back at the client's text). */
export interface OverriddenText {
  text: string;
  edits: OverrideEdit[];
}

/** The end of a node's text without the line breaks and spaces a block node's range takes in. */
const contentEnd = (text: string, start: number, end: number): number => {
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
};

const lineOf = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

const describe = (node: unknown): string =>
  specYaml.isScalar(node)
    ? node.value === null
      ? 'nothing (null)'
      : `a ${typeof node.value}`
    : specYaml.isSeq(node)
      ? 'a list'
      : specYaml.isAlias(node)
        ? 'a YAML alias'
        : 'a value';

/** `{ a: { b: value } }` for the segments not yet in the file. */
function nest(rest: (string | number)[], value: unknown): unknown {
  return rest.reduceRight<unknown>((acc, seg) => ({ [String(seg)]: acc }), value);
}

function keyText(seg: string | number): string {
  const key = String(seg);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
}

function override(
  text: string,
  key: string,
  value: unknown,
): { text: string; edit: OverrideEdit } | 'unparsable' {
  const segments = parseOverridePath(key);
  const path = formatPath(segments);
  const doc = specYaml.parseDocument(text);
  if (doc.errors.length > 0 || !specYaml.isMap(doc.contents)) return 'unparsable';
  const fail = (where: (string | number)[], node: unknown) =>
    new MyelinError(
      'MYELIN_ERR_API_OVERRIDE',
      `override "${key}" cannot be set: ${formatPath(where)} holds ${describe(node)}, not a mapping${typeof segments[where.length] === 'number' ? ' or a list' : ''}`,
      { path: 'overrides' },
    );
  const json = JSON.stringify(value) ?? 'null';
  const replace = (node: YamlNode, withText: string) => {
    const [start, rangeEnd] = node.range ?? [0, 0];
    const end = contentEnd(text, start, rangeEnd);
    const before = start > 0 && text[start - 1] === ':' ? ' ' : '';
    const startLine = lineOf(text, start);
    const oldLines = lineOf(text, Math.max(start, end - 1)) - startLine + 1;
    return {
      text: text.slice(0, start) + before + withText + text.slice(end),
      edit: { key, path, startLine, oldLines, newLines: 1 },
    };
  };

  let node: unknown = doc.contents;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (specYaml.isMap(node)) {
      const pair = node.items.find(
        (p: YamlPair) => specYaml.isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) {
        const entry = `${keyText(seg)}: ${JSON.stringify(nest(segments.slice(i + 1), value)) ?? 'null'}`;
        if (node.flow) {
          const close = (node.range?.[1] ?? 1) - 1;
          if (text[close] !== '}') throw fail(segments.slice(0, i), node);
          const sep = node.items.length > 0 ? ', ' : '';
          let at = close;
          while (at > 0 && text[at - 1] === ' ') at--;
          const line = lineOf(text, close);
          return {
            text: `${text.slice(0, at)}${sep}${entry} ${text.slice(close)}`,
            edit: { key, path, startLine: line, oldLines: 1, newLines: 1 },
          };
        }
        const lastPair = node.items[node.items.length - 1];
        const firstKey = node.items[0]?.key as YamlNode | undefined;
        const keyStart = firstKey?.range?.[0] ?? 0;
        const indent = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
        const lastNode = (lastPair?.value ?? lastPair?.key) as YamlNode | undefined;
        const at = contentEnd(text, 0, lastNode?.range?.[1] ?? text.length);
        const line = lineOf(text, at) + 1;
        return {
          text: `${text.slice(0, at)}\n${' '.repeat(indent)}${entry}${text.slice(at)}`,
          edit: { key, path, startLine: line, oldLines: 0, newLines: 1 },
        };
      }
      if (last) {
        const target = pair.value as YamlNode | null;
        if (target?.range) return replace(target, json);
        // `key:` with nothing after it: write the value after the colon
        const k = pair.key as YamlNode;
        const end = k.range?.[1] ?? 0;
        const colon = text.indexOf(':', end);
        return replace({ range: [colon + 1, colon + 1, colon + 1] }, json);
      }
      if (pair.value === null || (specYaml.isScalar(pair.value) && pair.value.value === null)) {
        const k = pair.key as YamlNode;
        const colon = text.indexOf(':', k.range?.[1] ?? 0);
        const target = (pair.value as YamlNode | null)?.range ?? [colon + 1, colon + 1, colon + 1];
        return replace({ range: target }, JSON.stringify(nest(segments.slice(i + 1), value)) ?? 'null');
      }
      node = pair.value;
    } else if (specYaml.isSeq(node) && typeof seg === 'number') {
      if (seg >= node.items.length) {
        throw new MyelinError(
          'MYELIN_ERR_API_OVERRIDE',
          `override "${key}" cannot be set: ${formatPath(segments.slice(0, i))} has ${node.items.length} item(s), so [${seg}] does not exist`,
          { path: 'overrides' },
        );
      }
      const item = node.items[seg] as YamlNode;
      if (last) return replace(item, json);
      node = item;
    } else {
      throw fail(segments.slice(0, i), node);
    }
  }
  throw fail(segments, node);
}

/**
 * Applies field-path overrides (`{ "train.epochs": 5 }`) to pipeline YAML text before it is parsed,
 * by editing the text in place: an existing value is replaced by the override's JSON (valid YAML),
 * a missing key is added to its mapping. Lines outside the edits keep their numbers (or are mapped
 * back with {@link mapLineBack}), so messages still point at the client's text. Throws a list of
 * `MYELIN_ERR_API_OVERRIDE` errors for keys that cannot be set. Text that is not a YAML mapping is
 * returned unchanged (the spec parser reports it).
 *
 * @example applyOverrides('train:\n  epochs: 100\n', { 'train.epochs': 5 }).text // 'train:\n  epochs: 5\n'
 */
export function applyOverrides(text: string, overrides: Record<string, unknown>): OverriddenText {
  let current = text;
  const edits: OverrideEdit[] = [];
  const problems: MyelinError[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    try {
      const r = override(current, key, value);
      if (r === 'unparsable') break;
      current = r.text;
      edits.push(r.edit);
    } catch (e) {
      if (e instanceof MyelinErrorList) problems.push(...e.errors);
      else if (e instanceof MyelinError) problems.push(e);
      else throw e;
    }
  }
  if (problems.length > 0) throw new MyelinErrorList(problems);
  return { text: current, edits };
}

/**
 * Maps a line of the overridden text back to the client's text. A line inside an edit maps to the
 * edit's first line (messages about the override's own value are matched by path instead).
 */
export function mapLineBack(line: number, edits: readonly OverrideEdit[]): number {
  let l = line;
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i]!;
    if (l < e.startLine) continue;
    l = l >= e.startLine + e.newLines ? l - e.newLines + e.oldLines : e.startLine;
  }
  return l;
}
