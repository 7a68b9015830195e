import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSchemaFile, writeSchemaFile } from './schema-file.js';
import { createSchemaInferrer, inferSchema } from './schema-inferrer.js';

describe('schema inference', () => {
  it('infers integer, number, boolean, category, string, datetime and nullability', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({
      i,
      x: i + 0.5,
      b: i % 2 === 0,
      c: ['red', 'green', 'blue'][i % 3] as string,
      s: `id-${i}`,
      d: `2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`,
      n: i % 10 === 0 ? null : i,
    }));
    const schema = await inferSchema(rows);
    expect(schema.columns).toEqual([
      { name: 'i', type: 'integer', nullable: false, min: 0, max: 99 },
      { name: 'x', type: 'number', nullable: false, min: 0.5, max: 99.5 },
      { name: 'b', type: 'boolean', nullable: false },
      { name: 'c', type: 'category', nullable: false, values: ['blue', 'green', 'red'] },
      { name: 's', type: 'string', nullable: false },
      { name: 'd', type: 'datetime', nullable: false },
      { name: 'n', type: 'integer', nullable: true, min: 1, max: 99 },
    ]);
  });

  it('takes the majority kind and keeps the minority with example rows', () => {
    const inf = createSchemaInferrer();
    ['1', 2, 3, 'oops', 5, 6].forEach((v, i) => inf.observe({ a: v }, i + 1));
    inf.observe({ b: 1 }, 7);
    const schema = inf.finish();
    expect(schema.columns[0]).toMatchObject({ name: 'a', type: 'integer', nullable: true });
    expect(schema.columns[1]).toMatchObject({ name: 'b', nullable: true });
    expect(inf.columns.get('a')?.kinds.get('string')).toEqual({ count: 2, exampleRows: [1, 4] });
  });
});

describe('schema files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'myelin-schema-'));

  it('writes and reads back a schema', async () => {
    const schema = {
      version: 1 as const,
      columns: [{ name: 'a', type: 'category' as const, nullable: false, values: ['x', 'y'] }],
    };
    await writeSchemaFile(join(dir, 'sub', 's.json'), schema);
    expect(await readSchemaFile(join(dir, 'sub', 's.json'))).toEqual(schema);
  });

  it('names the file and the field of a bad schema', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({ version: 1, columns: [{ name: 'a', type: 'float', nullable: true }] }),
    );
    await expect(readSchemaFile(path)).rejects.toMatchObject({
      code: 'MYELIN_ERR_DATA_SCHEMA',
      message: expect.stringMatching(/bad\.json columns\[0\]\.type: expected one of/),
    });
  });

  it('rejects a schema file that is not JSON', async () => {
    const path = join(dir, 'notjson.json');
    writeFileSync(path, '{ nope');
    await expect(readSchemaFile(path)).rejects.toMatchObject({ code: 'MYELIN_ERR_DATA_SCHEMA' });
  });
});
