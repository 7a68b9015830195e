import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { MyelinError, MyelinErrorList } from '@myelin/errors';
import { stackFileSchema, type StackFile } from './stack-config-schema.js';

interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset. */
function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

interface YamlNodeLike {
  range?: [number, number] | null;
  items?: { key?: { value?: unknown; range?: [number, number] | null }; value?: YamlNodeLike }[];
}

/** Where the key of a field path is written; the deepest existing entry when the path goes further. */
function locate(text: string, root: unknown, path: readonly PropertyKey[]): Position {
  let node = root as YamlNodeLike | null | undefined;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    const pair = node?.items?.find((p) => String(p.key?.value) === String(segment));
    if (!pair) break;
    offset = pair.key?.range?.[0] ?? offset;
    node = pair.value;
  }
  return positionOf(text, offset);
}

/**
 * Parses the text of a stack file (`myelin.stack.yaml`) and checks it against the stack schema.
 * Throws `MYELIN_ERR_STACK_CONFIG` errors located as `file:line:col path`.
 *
 * @example parseStackFile('redis: { url: redis://localhost:6379 }\n', 'myelin.stack.yaml').redis?.url
 */
export function parseStackFile(text: string, file: string): StackFile {
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new MyelinErrorList(
      doc.errors.map((e) => {
        const pos = (e as { linePos?: { start?: { line: number; col: number } } }).linePos?.start;
        const detail = (e.message.split(/ at line \d+, column \d+/)[0] ?? e.message).trim();
        return new MyelinError('MYELIN_ERR_STACK_CONFIG', `not well-formed YAML: ${detail}`, {
          file,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        });
      }),
    );
  }
  const value: unknown = doc.toJSON() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      'the top level must be a mapping with redis, artifacts, database and/or mlflow',
      { file, line: 1, column: 1 },
    );
  }
  const parsed = stackFileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new MyelinErrorList(
    parsed.error.issues.flatMap((issue) => {
      const paths =
        issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      return paths.map((path) => {
        const where = path.map(String).join('.') || '(top level)';
        const detail =
          issue.code === 'unrecognized_keys'
            ? `unknown key "${String(path.at(-1))}" (allowed: redis, artifacts, database, mlflow and their fields)`
            : issue.message;
        return new MyelinError('MYELIN_ERR_STACK_CONFIG', detail, {
          file,
          ...locate(text, doc.contents, path),
          path: where,
        });
      });
    }),
  );
}

/** Reads and checks a stack file; a missing file is an error here (callers decide when it is optional). */
export async function readStackFile(file: string): Promise<StackFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `cannot read the stack file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      { file },
      { cause: e },
    );
  }
  return parseStackFile(text, file);
}
