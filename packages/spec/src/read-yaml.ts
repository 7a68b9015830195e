import { MyelinError, MyelinErrorList, type ErrorCode } from '@myelin/errors';
import {
  Document,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  parseDocument,
  visit,
  type Node,
  type YAMLError,
} from 'yaml';
import { describeValue } from './describe-value.js';
import { MAX_ALIAS_COUNT, MAX_SPEC_BYTES } from './limits.js';
import { positionAt } from './yaml-position.js';

/** A parsed, checked YAML document with what is needed to point back into the text. */
export interface YamlSource {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data (mappings as objects, sequences as arrays). */
  value: Record<string, unknown>;
}

/** Reword a yaml error message: drop the "at line L, column C:" excerpt the location already gives. */
function yamlMessage(error: YAMLError, text: string): string {
  const head = error.message.split(/ at line \d+, column \d+/)[0] ?? error.message;
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':#\n]+)/.exec(text.slice(error.pos[0]))?.[1]?.trim();
    return `duplicate key${key ? ` "${key}"` : ''}; each key may appear once in a mapping`;
  }
  return head.charAt(0).toLowerCase() + head.slice(1);
}

/** Checks done on the node tree before any value is built: no tags, plain keys, no __proto__. */
function nodeProblems(doc: Document.Parsed, lineCounter: LineCounter, file: string): MyelinError[] {
  const problems: MyelinError[] = [];
  const at = (node: Node, code: ErrorCode, detail: string) => {
    const start = node.range?.[0] ?? 0;
    problems.push(new MyelinError(code, detail, { file, ...positionAt(lineCounter, start) }));
  };
  visit(doc, {
    Node(_key, node) {
      if (!isAlias(node) && node.tag) {
        at(
          node,
          'MYELIN_ERR_SPEC_TAG',
          `YAML tag ${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not allowed; tags are never evaluated, write the plain value`,
        );
      }
    },
    Pair(_key, pair) {
      if (!isPair(pair) || pair.key === null) return;
      if (!isScalar(pair.key)) {
        at(pair.key as Node, 'MYELIN_ERR_SPEC_INVALID', 'keys must be plain words, not lists or mappings');
      } else if (pair.key.value === '__proto__') {
        at(pair.key, 'MYELIN_ERR_SPEC_UNKNOWN_KEY', 'key "__proto__" is not allowed');
      }
    },
  });
  return problems;
}

/** The first alias node of a document, for pointing at an alias bomb. */
function firstAlias(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Parses pipeline-file text as one YAML document, safely: size-limited, no tags, duplicate keys
 * refused, alias expansion bounded. Throws MyelinError / MyelinErrorList with file:line:col.
 *
 * @example readYaml('apiVersion: myelin/v1\n', 'pipeline.yaml').value // { apiVersion: 'myelin/v1' }
 */
export function readYaml(text: string, file: string): YamlSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SPEC_BYTES) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_TOO_LARGE',
      `the file is ${bytes} bytes; the limit is ${MAX_SPEC_BYTES} bytes (1 MiB)`,
      { file },
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
    schema: 'core',
    merge: false,
    keepSourceTokens: false,
  });
  if (doc.errors.length > 0) {
    throw new MyelinErrorList(
      doc.errors.map(
        (e) =>
          new MyelinError('MYELIN_ERR_SPEC_YAML', yamlMessage(e, text), {
            file,
            ...positionAt(lineCounter, e.pos[0]),
          }),
      ),
    );
  }
  const problems = nodeProblems(doc, lineCounter, file);
  if (problems.length > 0) throw new MyelinErrorList(problems);

  const top = doc.contents;
  if (top === null || (isScalar(top) && (top.value === null || top.value === ''))) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      'the file is empty; a pipeline file is a mapping that starts with apiVersion: myelin/v1, name, data and model',
      { file, line: 1, column: 1 },
    );
  }
  if (!isMap(top) && !isAlias(top)) {
    const what = isScalar(top) ? describeValue(top.value) : 'a list';
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      `the top level must be a mapping of key: value (apiVersion, name, data, model, ...), got ${what}`,
      {
        file,
        ...positionAt(lineCounter, top.range?.[0] ?? 0),
      },
    );
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError) {
      const alias = firstAlias(doc);
      throw new MyelinError(
        'MYELIN_ERR_SPEC_ALIAS',
        `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions; an "alias bomb"); write the values out or use fewer aliases`,
        { file, ...(alias ? positionAt(lineCounter, alias.range?.[0] ?? 0) : {}) },
        { cause: error },
      );
    }
    throw error;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      `the top level must be a mapping of key: value, got ${describeValue(value)}`,
      { file, line: 1, column: 1 },
    );
  }
  return { doc, lineCounter, value: value as Record<string, unknown> };
}
