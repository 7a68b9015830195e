import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSchemaFile } from './schema-file.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-schemafile-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** The error a read throws (the read must fail). */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the read to fail');
}

describe('readSchemaFile never shows what the file holds', () => {
  it('a file that is not JSON: where parsing stopped, not the text', async () => {
    const e = await failure(readSchemaFile(write('passwd', 'root:x:0:0:root:/root:/bin/bash\n')));
    expect(e).toMatchObject({ code: 'MYELIN_ERR_DATA_SCHEMA' });
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.message).not.toMatch(/root:x|bin\/bash/);
    const e2 = await failure(readSchemaFile(write('broken.json', '{\n  "version": 1,\n  "columns": [],\n}')));
    expect(e2.message).toMatch(/at line 4, column 1\)/);
    expect(e2.message).not.toMatch(/columns|version/);
  });

  it('a credentials JSON: neither its key names nor its values', async () => {
    const e = await failure(
      readSchemaFile(
        write(
          'creds.json',
          JSON.stringify({ type: 'service_account', private_key_id: 'abc123', client_email: 'x@y' }),
        ),
      ),
    );
    expect(e.message).toMatch(/creds\.json \(root\): has a field a schema does not have/);
    expect(e.message).not.toMatch(/private_key_id|abc123|client_email|service_account/);
    const e2 = await failure(
      readSchemaFile(
        write(
          'cols.json',
          JSON.stringify({
            version: 1,
            columns: [{ name: 'a', type: 'hunter2', nullable: true, token: 's3cr3t' }],
          }),
        ),
      ),
    );
    expect(e2.message).toMatch(/columns\[0\]: has a field a column does not have/);
    expect(e2.message).not.toMatch(/token|s3cr3t|hunter2/);
    const e3 = await failure(
      readSchemaFile(write('ver.json', JSON.stringify({ version: 'p4ssw0rd', columns: [] }))),
    );
    expect(e3.message).toMatch(/version: expected 1$/);
  });

  it('refuses FIFOs and devices without hanging, and caps the size', async () => {
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect((await failure(readSchemaFile(fifo))).message).toMatch(/a FIFO, not a regular file/);
    expect((await failure(readSchemaFile('/dev/zero'))).message).toMatch(/a device, not a regular file/);
    const big = write('big.json', `[${'0,'.repeat(1000)}0]`);
    expect((await failure(readSchemaFile(big, { maxBytes: 100 }))).message).toMatch(
      /more than the limit of 100/,
    );
    // procfs reports size 0 and holds more: the cap still holds
    const env = await failure(readSchemaFile('/proc/self/environ', { maxBytes: 8 }));
    expect(env.message).toMatch(/limit of 8 bytes|not valid JSON/);
    expect(env.message).not.toMatch(/PATH=|HOME=/);
  });

  it('names the file as the pipeline wrote it', async () => {
    const e = await failure(readSchemaFile(join(dir, 'missing.json'), { display: 'schemas/missing.json' }));
    expect(e.message).toBe('schemas/missing.json: cannot read the schema file: no such file');
  });
});
