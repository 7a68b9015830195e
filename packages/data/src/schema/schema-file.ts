import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MyelinError } from '@myelin/errors';
import type { ColumnSchema, ColumnType, DataSchema } from '../types.js';
import { readRegularFile, RegularFileError } from '../io/read-regular-file.js';

const TYPES: readonly ColumnType[] = ['number', 'integer', 'boolean', 'category', 'string', 'datetime'];
const COLUMN_KEYS = new Set(['name', 'type', 'nullable', 'min', 'max', 'values']);

/**
 * Checks that a parsed value is a `DataSchema` (`{ version: 1, columns: [...] }`) and returns it.
 * Messages name the field by its position (`columns[2].type`) and say what is allowed; they never
 * repeat a key or value of the file, which may not be a schema at all (a credentials file).
 * @throws MyelinError MYELIN_ERR_DATA_SCHEMA naming `file` and the field path, e.g. `columns[2].type`.
 */
export function parseDataSchema(value: unknown, file: string): DataSchema {
  const fail = (path: string, msg: string): never => {
    throw new MyelinError('MYELIN_ERR_DATA_SCHEMA', msg, { file, path });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('(root)', 'expected an object { version: 1, columns: [...] }');
  const obj = value as Record<string, unknown>;
  if (Object.keys(obj).some((k) => k !== 'version' && k !== 'columns'))
    fail('(root)', 'has a field a schema does not have; a schema has only "version" and "columns"');
  if (obj.version !== 1) fail('version', 'expected 1');
  if (!Array.isArray(obj.columns)) return fail('columns', 'expected an array of columns');
  const names = new Map<string, number>();
  const columns = obj.columns.map((c: unknown, i): ColumnSchema => {
    const at = `columns[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return fail(at, 'expected an object');
    const col = c as Record<string, unknown>;
    if (Object.keys(col).some((k) => !COLUMN_KEYS.has(k)))
      fail(at, `has a field a column does not have; a column has ${[...COLUMN_KEYS].join(', ')}`);
    if (typeof col.name !== 'string' || col.name === '') fail(`${at}.name`, 'expected a non-empty string');
    const name = col.name as string;
    const first = names.get(name);
    if (first !== undefined) fail(`${at}.name`, `the same name as columns[${first}]`);
    names.set(name, i);
    if (!TYPES.includes(col.type as ColumnType)) fail(`${at}.type`, `expected one of ${TYPES.join(', ')}`);
    if (typeof col.nullable !== 'boolean') fail(`${at}.nullable`, 'expected true or false');
    const out: ColumnSchema = { name, type: col.type as ColumnType, nullable: col.nullable as boolean };
    for (const k of ['min', 'max'] as const) {
      if (col[k] === undefined) continue;
      if (typeof col[k] !== 'number' || !Number.isFinite(col[k]))
        fail(`${at}.${k}`, 'expected a finite number');
      out[k] = col[k] as number;
    }
    if (out.min !== undefined && out.max !== undefined && out.min > out.max)
      fail(`${at}.min`, 'min is greater than max');
    if (col.values !== undefined) {
      if (!Array.isArray(col.values) || !col.values.every((v) => typeof v === 'string'))
        fail(`${at}.values`, 'expected an array of strings');
      out.values = [...(col.values as string[])];
    }
    return out;
  });
  return { version: 1, columns };
}

/** Largest schema file read: a schema of thousands of columns fits many times over. */
export const MAX_SCHEMA_FILE_BYTES = 1 << 20;

/** Where the parser stopped, as `line L, column C`, from a V8 JSON error (never the text itself). */
function jsonErrorPlace(message: string, text: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m) return /end of JSON input/.test(message) ? ' (it ends too early)' : '';
  const pos = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` (at line ${line}, column ${column})`;
}

/** Options of {@link readSchemaFile}. */
export interface ReadSchemaFileOptions {
  /** How messages name the file (the path as the pipeline wrote it). @defaultValue the path */
  display?: string;
  /** Largest file accepted. @defaultValue MAX_SCHEMA_FILE_BYTES (1 MiB) */
  maxBytes?: number;
}

/**
 * Reads and checks a schema file (JSON): a regular file of at most 1 MiB (no FIFOs, devices or
 * endless pseudo-files). Messages name the file, the field and where parsing stopped, never the
 * file's content. Resolve the path with `resolveLocalPath` first so it obeys the folder rule.
 * @throws MyelinError MYELIN_ERR_DATA_SCHEMA (unreadable, not JSON, or not a valid schema: names file and field).
 */
export async function readSchemaFile(path: string, opts: ReadSchemaFileOptions = {}): Promise<DataSchema> {
  const file = opts.display ?? path;
  let text: string;
  try {
    text = (await readRegularFile(path, opts.maxBytes ?? MAX_SCHEMA_FILE_BYTES)).toString('utf8');
  } catch (e) {
    const why = e instanceof RegularFileError ? e.message : 'cannot read it';
    throw new MyelinError('MYELIN_ERR_DATA_SCHEMA', `cannot read the schema file: ${why}`, { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_SCHEMA',
      `not valid JSON${jsonErrorPlace((e as Error).message, text)}; the schema file is not shown`,
      { file },
    );
  }
  return parseDataSchema(value, file);
}

/** Writes a schema as pretty-printed JSON (creating the folder), readable by `readSchemaFile`. */
export async function writeSchemaFile(path: string, schema: DataSchema): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(schema, null, 2)}\n`, 'utf8');
}
