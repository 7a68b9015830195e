/**
 * `npm run bench:data [-- --rows N]`: how fast and how lean Myelin's one-pass analysis is next
 * to a bare parse. Writes a CSV of N rows (default 3,000,000) from vega-datasets'
 * flights-3m.parquet into the temp folder (cached), then runs each phase in its own process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRows, resolveSource } from './data-lib.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const runJs = join(here, '..', 'bin', 'run.js');
const repoRoot = join(here, '..', '..', '..');
const rowsArg = process.argv.indexOf('--rows');
const limit = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 3_000_000;
if (!Number.isInteger(limit) || limit <= 0) throw new Error('--rows needs a positive integer');

const parquet = resolveSource('npm:vega-datasets/data/flights-3m.parquet', { baseDir: repoRoot });
const cacheDir = join(tmpdir(), 'myelin-bench');
const csvPath = join(cacheDir, `flights-${limit}.csv`);

async function writeCsv(): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${csvPath}.part`;
  const out = createWriteStream(tmp);
  out.write('date,delay,distance,origin,destination\n');
  let n = 0;
  let chunk = '';
  for await (const r of readRows(parquet)) {
    chunk += `${r.date},${r.delay},${r.distance},${r.origin},${r.destination}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
    if (++n >= limit) break;
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(tmp, csvPath);
}

interface Result {
  rows: number;
  seconds: number;
  maxRssMb: number;
}

function phase(name: string, file: string): Result {
  const out = execFileSync(process.execPath, [runJs, 'data-phase', name, file, String(limit)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Result;
}

function pandas(): Result | undefined {
  const script = [
    'import pandas, time, resource, json, sys',
    't = time.time()',
    'df = pandas.read_csv(sys.argv[1])',
    'df.describe(include="all")',
    'print(json.dumps({"rows": len(df), "seconds": time.time() - t, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))',
  ].join('\n');
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import pandas'], { stdio: 'ignore' }).status !== 0) continue;
    const r = spawnSync(py, ['-c', script, csvPath], { encoding: 'utf8' });
    if (r.status === 0) return JSON.parse(r.stdout.trim()) as Result;
  }
  return undefined;
}

if (!existsSync(csvPath)) {
  console.log(`writing ${limit} rows to ${csvPath} …`);
  await writeCsv();
}
const results: [string, Result, Result | undefined][] = [];
const csvBase = phase('csv-baseline', csvPath);
results.push(['csv-parse (count rows)', csvBase, undefined]);
results.push(['Myelin readRows+analyzeTable (CSV)', phase('csv-myelin', csvPath), csvBase]);
const pqBase = phase('parquet-baseline', parquet.path);
results.push(['hyparquet (count rows)', pqBase, undefined]);
results.push(['Myelin readRows+analyzeTable (Parquet)', phase('parquet-myelin', parquet.path), pqBase]);
const pd = pandas();
if (pd) results.push(['pandas read_csv + describe()', pd, csvBase]);

const head = ['phase', 'rows', 'seconds', 'rows/s', 'peak RSS MB', 'time vs baseline'];
const body = results.map(([name, r, base]) => [
  name,
  String(r.rows),
  r.seconds.toFixed(2),
  Math.round(r.rows / r.seconds).toLocaleString('en-US'),
  r.maxRssMb.toFixed(0),
  base ? `${(r.seconds / base.seconds).toFixed(2)}x` : '',
]);
const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
console.log([line(head), ...body.map(line)].join('\n'));
if (!pd) console.log('pandas: not available');
console.log('goals: Myelin within 3x of the bare parse, peak RSS < 500 MB');
