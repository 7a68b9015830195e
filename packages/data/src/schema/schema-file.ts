import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MyelinError } from '@myelin/errors';
import type { ColumnSchema, ColumnType, DataSchema } from '../types.js';

const TYPES: readonly ColumnType[] = ['number', 'integer', 'boolean', 'category', 'string', 'datetime'];
const COLUMN_KEYS = new Set(['name', 'type', 'nullable', 'min', 'max', 'values']);

/**
 * Checks that a parsed value is a `DataSchema` (`{ version: 1, columns: [...] }`) and returns it.
 * @throws MyelinError MYELIN_ERR_DATA_SCHEMA naming `file` and the field path, e.g. `columns[2].type`.
 */
export function parseDataSchema(value: unknown, file: string): DataSchema {
  const fail = (path: string, msg: string): never => {
    throw new MyelinError('MYELIN_ERR_DATA_SCHEMA', msg, { file, path });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('(root)', 'expected an object { version: 1, columns: [...] }');
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (k !== 'version' && k !== 'columns') fail(k, `unknown field "${k}"`);
  if (obj.version !== 1) fail('version', `expected 1, got ${JSON.stringify(obj.version)}`);
  if (!Array.isArray(obj.columns)) return fail('columns', 'expected an array of columns');
  const names = new Set<string>();
  const columns = obj.columns.map((c: unknown, i): ColumnSchema => {
    const at = `columns[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return fail(at, 'expected an object');
    const col = c as Record<string, unknown>;
    for (const k of Object.keys(col)) if (!COLUMN_KEYS.has(k)) fail(`${at}.${k}`, `unknown field "${k}"`);
    if (typeof col.name !== 'string' || col.name === '') fail(`${at}.name`, 'expected a non-empty string');
    const name = col.name as string;
    if (names.has(name)) fail(`${at}.name`, `column "${name}" is listed twice`);
    names.add(name);
    if (!TYPES.includes(col.type as ColumnType))
      fail(`${at}.type`, `expected one of ${TYPES.join(', ')}, got ${JSON.stringify(col.type)}`);
    if (typeof col.nullable !== 'boolean') fail(`${at}.nullable`, 'expected true or false');
    const out: ColumnSchema = { name, type: col.type as ColumnType, nullable: col.nullable as boolean };
    for (const k of ['min', 'max'] as const) {
      if (col[k] === undefined) continue;
      if (typeof col[k] !== 'number' || !Number.isFinite(col[k]))
        fail(`${at}.${k}`, 'expected a finite number');
      out[k] = col[k] as number;
    }
    if (out.min !== undefined && out.max !== undefined && out.min > out.max)
      fail(`${at}.min`, `min ${out.min} is greater than max ${out.max}`);
    if (col.values !== undefined) {
      if (!Array.isArray(col.values) || !col.values.every((v) => typeof v === 'string'))
        fail(`${at}.values`, 'expected an array of strings');
      out.values = [...(col.values as string[])];
    }
    return out;
  });
  return { version: 1, columns };
}

/**
 * Reads and checks a schema file (JSON).
 * @throws MyelinError MYELIN_ERR_DATA_SCHEMA (unreadable, not JSON, or not a valid schema: names file and field).
 */
export async function readSchemaFile(path: string): Promise<DataSchema> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MyelinError('MYELIN_ERR_DATA_SCHEMA', `cannot read the schema file: ${(e as Error).message}`, {
      file: path,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MyelinError('MYELIN_ERR_DATA_SCHEMA', `not valid JSON: ${(e as Error).message}`, {
      file: path,
    });
  }
  return parseDataSchema(value, path);
}

/** Writes a schema as pretty-printed JSON (creating the folder), readable by `readSchemaFile`. */
export async function writeSchemaFile(path: string, schema: DataSchema): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(schema, null, 2)}\n`, 'utf8');
}
