import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Cell } from '../../types.js';
import { batchToRows } from '../batch-to-rows.js';
import type { ColumnBatch } from '../column-batch.js';
import { parseCsvCell } from '../parse-csv-cell.js';
import { CsvScanner, type CsvResumePoint } from './csv-scanner.js';

/** Scans `text` fed in chunks of `chunk` bytes; the rows as records. */
function scan(text: string | Buffer, chunk = 1 << 20, delimiter = ','): Record<string, Cell>[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const s = new CsvScanner('t.csv', delimiter.charCodeAt(0));
  const out: ColumnBatch[] = [];
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk), out);
  s.end(out);
  return out.flatMap((b) => batchToRows(b));
}

function scanError(text: string): unknown {
  try {
    scan(text);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('CsvScanner (RFC 4180)', () => {
  it('reads quoted fields with delimiters, escaped quotes and line breaks', () => {
    const text = 'a,b,c\n"x, y","say ""hi""","two\nlines"\n"",plain,"3"\n';
    expect(scan(text)).toEqual([
      { a: 'x, y', b: 'say "hi"', c: 'two\nlines' },
      { a: null, b: 'plain', c: 3 },
    ]);
  });

  it('accepts CRLF, LF and CR line breaks and a last line without one', () => {
    expect(scan('a,b\r\n1,2\r\n3,4')).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    expect(scan('a,b\r1,2\r3,4\r')).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    expect(scan('a\r\n"x\r\ny"\r\n')).toEqual([{ a: 'x\r\ny' }]);
  });

  it('skips a UTF-8 byte order mark, also when it is split across chunks', () => {
    const text = '\ufeffname,n\nÅsa,1\n';
    expect(scan(text)).toEqual([{ name: 'Åsa', n: 1 }]);
    for (const chunk of [1, 2, 3, 4]) expect(scan(text, chunk)).toEqual([{ name: 'Åsa', n: 1 }]);
  });

  it('skips empty lines and names blank header fields', () => {
    expect(scan('\n\na,,c\n\n1,2,3\n\n')).toEqual([{ a: 1, column2: 2, c: 3 }]);
  });

  it('converts cells like parseCsvCell: numbers, booleans, non-finite, blanks, text', () => {
    const fields = ['1', '-2.5', '+3', '.5', '4.', '1e3', '1E-2', '007', '-0', 'true', 'FALSE', 'NaN', 'Infinity',
      '-Infinity', '+Infinity', '1e999', '  7 ', ' x ', '   ', '0x1F', '1_000', '2024-01-02', '12 apples', '.', '-',
      '1e', '1.2.3', '12345678901234567890', '0.1234567890123456789', 'Truth', 'nan', '-NaN', 'é'];
    const text = `${fields.map((_, i) => `c${i}`).join(',')}\n${fields.map((f) => `"${f}"`).join(',')}\n`;
    const row = scan(text)[0] as Record<string, Cell>;
    fields.forEach((f, i) => expect([f, row[`c${i}`]]).toEqual([f, parseCsvCell(f)]));
  });

  it('keeps the text of repeated strings per batch and tells 1 from "1x"', () => {
    const rows = scan('s\nLAS\nPHL\nLAS\n1\n1x\n');
    expect(rows.map((r) => r.s)).toEqual(['LAS', 'PHL', 'LAS', 1, '1x']);
  });

  it('reads TSV with a tab delimiter', () => {
    expect(scan('a\tb\n1\t"q\tr"\n', 1 << 20, '\t')).toEqual([{ a: 1, b: 'q\tr' }]);
  });

  it('gives the same rows however the bytes are cut into chunks', () => {
    const text = 'a,b,c\r\n"x\r\n""y""",2,\r\n,"",true\r\n\r\n3,"4,5",z';
    const whole = scan(text);
    expect(whole).toHaveLength(3);
    for (let chunk = 1; chunk < text.length; chunk++) expect(scan(text, chunk)).toEqual(whole);
  });

  it('a trailing delimiter at the end of the file is one more, empty field', () => {
    expect(scan('a,b\n1,')).toEqual([{ a: 1, b: null }]);
  });

  it('rejects a ragged row with its line, also after a quoted line break', () => {
    expect(scanError('a,b,c\n1,2,3\n4,5\n')).toMatchObject({
      code: 'MYELIN_ERR_DATA_FORMAT',
      message: 't.csv:3: ragged row: it has 2 fields, the header has 3',
    });
    expect(scanError('a,b\n"x\ny",1\n1,2,3\n')).toMatchObject({ message: expect.stringMatching(/^t\.csv:4: ragged row: it has 3/) });
  });

  it('rejects bad quoting and a duplicate column name', () => {
    expect(scanError('a,b\n1,x"y\n')).toMatchObject({ message: expect.stringMatching(/^t\.csv:2: malformed CSV: a quote inside/) });
    expect(scanError('a,b\n1,"x"y\n')).toMatchObject({ message: expect.stringMatching(/^t\.csv:2: malformed CSV: text after the closing quote/) });
    expect(scanError('a,b\n1,"open\n2,3\n')).toMatchObject({ message: expect.stringMatching(/^t\.csv:2: malformed CSV: a quoted field is not closed/) });
    expect(scanError('a,a\n1,2\n')).toMatchObject({ code: 'MYELIN_ERR_DATA_FORMAT', message: 't.csv:1: column "a" appears twice in the header' });
  });

  it('splits rows into batches of about a million cells, numbered from row 1', () => {
    const s = new CsvScanner('t.csv', 44);
    const out: ColumnBatch[] = [];
    const cols = 200;
    const rows = 12_000;
    const line = `${Array.from({ length: cols }, (_, i) => i).join(',')}\n`;
    s.push(Buffer.from(`${Array.from({ length: cols }, (_, i) => `c${i}`).join(',')}\n`), out);
    for (let i = 0; i < rows; i++) s.push(Buffer.from(line), out);
    s.end(out);
    expect(out.length).toBeGreaterThan(1);
    expect(out.reduce((n, b) => n + b.length, 0)).toBe(rows);
    expect(out.map((b) => b.firstRow).slice(0, 2)).toEqual([1, (out[0] as ColumnBatch).length + 1]);
    expect(out[0]!.columns[199]!.numbers![0]).toBe(199);
  });

  it('converts unquoted number-like fields as parseCsvCell does, however the chunks fall (the fused decimal path)', () => {
    const numberLike = fc.oneof(
      fc.double({ noNaN: true }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(6)),
      fc.integer().map(String),
      fc.stringMatching(/^[-+]?[0-9]{0,18}(\.[0-9]{0,24})?([eE][-+]?[0-9]{1,3})?$/),
      fc.constantFrom('-', '.', '-.', '-0', '0', '-0.0', '4.', '.5', '-.5', '00012', '1.5.3', '12abc', '1e', '-x', 'Infinity', '-Infinity', ''),
      fc.stringMatching(/^[-0-9.a-z ]{0,8}$/),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(numberLike, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (rows, eol, chunk, lastEol) => {
          const text = ['a,b,c', ...rows.map((r) => r.join(','))].join(eol) + (lastEol ? eol : '');
          const expected = rows
            .filter((r) => r.join(',') !== '')
            .map((r) => ({ a: parseCsvCell(r[0]!), b: parseCsvCell(r[1]!), c: parseCsvCell(r[2]!) }));
          expect(scan(text, chunk)).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads what csv-parse reads, for any table of awkward fields', () => {
    const field = fc.oneof(
      fc.constantFrom('', ' ', '"', '""', ',', '\n', '\r\n', 'a"b', '1', '-0.5', 'true', 'NaN', 'x y', '1e5'),
      fc.string({ maxLength: 6 }),
      fc.double({ noNaN: true }).map(String),
    );
    const quote = (f: string): string => `"${f.replaceAll('"', '""')}"`;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(field, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 64 }),
        (cols, table, eol, chunk) => {
          const header = Array.from({ length: cols }, (_, i) => `h${i}`);
          const rows = table.map((r) => r.slice(0, cols));
          const text = [header, ...rows].map((r) => r.map(quote).join(',')).join(eol) + eol;
          const expected = (parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[]).map(
            (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, parseCsvCell(v)])),
          );
          expect(scan(text, chunk)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A batch's row numbers, names and every vector's contents, as a digest. */
function fingerprint(b: ColumnBatch): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([b.firstRow, b.length, b.names]));
  for (const v of b.columns) {
    h.update(JSON.stringify([v.length, v.nulls, v.numberCount, v.booleanCount, v.stringCount, v.dictionary]));
    for (const a of [v.tags, v.numbers, v.codes]) h.update(a ? new Uint8Array(a.buffer, a.byteOffset, a.byteLength) : 'none');
  }
  return `${b.firstRow}:${h.digest('hex')}`;
}

describe('CsvScanner resume points', () => {
  /** Scans `bytes` in chunks; the batches and the distinct resume points seen after each chunk. */
  function scanWithPoints(bytes: Buffer, chunk: number, from?: CsvResumePoint) {
    const s = new CsvScanner('t.csv', 44, from);
    const out: ColumnBatch[] = [];
    const points: CsvResumePoint[] = [];
    for (let i = from?.offset ?? 0; i < bytes.length; i += chunk) {
      s.push(bytes.subarray(i, i + chunk), out);
      const p = s.resumePoint();
      if (p && p !== points.at(-1)) points.push(p);
    }
    s.end(out);
    return { out, points, rows: s.rows };
  }

  const lines = ['\ufeffid,"note\nheader",x'];
  for (let i = 0; i < 150_000; i++) {
    if (i % 9_999 === 0) lines.push('');
    lines.push(i % 7 === 0 ? `${i},"two\r\nlines ""${i}""",${i / 4}` : `${i},n${i % 13},${i % 5 === 0 ? '' : i * 1.5}`);
  }
  const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`);

  it('a scanner resumed at any resume point emits the batches the first one emitted from there', () => {
    for (const chunk of [1 << 20, 65_537]) {
      const whole = scanWithPoints(bytes, chunk);
      expect(whole.points.length).toBeGreaterThan(2);
      expect(whole.points[0]).toMatchObject({ firstRow: 1, line: 3, names: ['id', 'note\nheader', 'x'] });
      for (const p of whole.points) {
        const rest = scanWithPoints(bytes, chunk, p);
        const expected = whole.out.filter((b) => b.firstRow >= p.firstRow);
        expect(rest.out.map(fingerprint)).toEqual(expected.map(fingerprint));
        expect(rest.rows).toBe(150_000);
      }
    }
  });

  it('a resumed scanner reports errors at the file line', () => {
    const text = Buffer.from(`a,b\n${'1,2\n'.repeat(70_000)}3\n`);
    const whole = scanWithPoints(Buffer.from(`a,b\n${'1,2\n'.repeat(70_000)}`), 1 << 20);
    const p = whole.points.at(-1) as CsvResumePoint;
    expect(p.firstRow).toBeGreaterThan(1);
    expect(() => scanWithPoints(text, 1 << 20, p)).toThrow('t.csv:70002: ragged row');
  });
});
