/**
 * The tables `bench:data` runs on, generated here (nothing is downloaded) and cached in the temp
 * folder: the flights CSV (rows of vega-datasets' flights-3m.parquet, an installed npm package),
 * a wide MNIST-like table (label + 784 pixel columns, ~65% zeros, pixels as /255 fractions), and a
 * tall table (20 columns: 16 floats, 2 integers, a category, a 3-class label). Seeded, so every run
 * writes the same bytes.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from './bench-random.js';
import { readRows, resolveSource } from './data-lib.js';

export const cacheDir = join(tmpdir(), 'myelin-bench');

const rng = mulberry32;

async function writeLines(
  path: string,
  header: string,
  rows: number,
  line: (i: number) => string,
): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${path}.part`;
  const out = createWriteStream(tmp);
  out.write(`${header}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(tmp, path);
}

/** The first `rows` rows of flights-3m.parquet as CSV. */
export async function flightsCsv(parquetPath: string, rows: number): Promise<string> {
  const path = join(cacheDir, `flights-${rows}.csv`);
  if (existsSync(path)) return path;
  console.log(`writing ${rows} flights rows to ${path} …`);
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${path}.part`;
  const out = createWriteStream(tmp);
  out.write('date,delay,distance,origin,destination\n');
  let n = 0;
  let chunk = '';
  for await (const r of readRows(resolveSource(parquetPath, { baseDir: '/' }))) {
    chunk += `${r.date},${r.delay},${r.distance},${r.origin},${r.destination}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
    if (++n >= rows) break;
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(tmp, path);
  return path;
}

/** An MNIST-sized table: `label` 0–9 and p0…p783, each 0 (65%) or a /255 fraction with 6 decimals. */
export async function wideCsv(rows: number, cols = 784): Promise<string> {
  const path = join(cacheDir, `wide-${rows}x${cols}.csv`);
  if (existsSync(path)) return path;
  console.log(`writing a ${rows} × ${cols + 1} table to ${path} …`);
  const r = rng(784);
  const header = ['label', ...Array.from({ length: cols }, (_, i) => `p${i}`)].join(',');
  await writeLines(path, header, rows, () => {
    const cells = new Array<string>(cols + 1);
    cells[0] = String(Math.floor(r() * 10));
    for (let j = 1; j <= cols; j++)
      cells[j] = r() < 0.65 ? '0' : (Math.floor(r() * 255 + 1) / 255).toFixed(6);
    return cells.join(',');
  });
  return path;
}

/** A tall table: f0…f15 (floats, 4 decimals), n0, n1 (integers 0–999), cat (8 values), label (3 classes). */
export async function tallCsv(rows: number): Promise<string> {
  const path = join(cacheDir, `tall-${rows}x20.csv`);
  if (existsSync(path)) return path;
  console.log(`writing a ${rows} × 20 table to ${path} …`);
  const r = rng(20);
  const cats = ['north', 'south', 'east', 'west', 'up', 'down', 'left', 'right'];
  const header = [...Array.from({ length: 16 }, (_, i) => `f${i}`), 'n0', 'n1', 'cat', 'label'].join(',');
  await writeLines(path, header, rows, () => {
    const cells = new Array<string>(20);
    for (let j = 0; j < 16; j++) cells[j] = ((r() + r() + r() - 1.5) * (j + 1)).toFixed(4);
    cells[16] = String(Math.floor(r() * 1000));
    cells[17] = String(Math.floor(r() * 1000));
    cells[18] = cats[Math.floor(r() * 8)] as string;
    cells[19] = ['a', 'b', 'c'][Math.floor(r() * 3)] as string;
    return cells.join(',');
  });
  return path;
}
