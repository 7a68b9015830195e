/**
 * One benchmark phase, run in its own process so its peak RSS is its own:
 * `run.js data-phase <phase> <file> <rows>`; prints one JSON line { rows, seconds, maxRssMb }.
 */
import { createReadStream } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { analyzeTable, parquetCompressors, readRows, resolveSource } from './data-lib.js';

const [, , , phase, file, limitText] = process.argv;
const limit = Number(limitText);

async function run(): Promise<number> {
  switch (phase) {
    case 'csv-baseline': {
      let n = 0;
      for await (const _ of createReadStream(file as string).pipe(parse({ columns: true, bom: true }))) n++;
      return n;
    }
    case 'parquet-baseline': {
      const buf = await asyncBufferFromFile(file as string);
      const metadata = await parquetMetadataAsync(buf);
      const compressors = await parquetCompressors();
      let n = 0;
      let start = 0;
      for (const g of metadata.row_groups) {
        if (n >= limit) break;
        const end = Math.min(start + Number(g.num_rows), limit);
        await parquetRead({
          file: buf,
          metadata,
          compressors,
          rowStart: start,
          rowEnd: end,
          rowFormat: 'object',
          onComplete: (rows) => (n += rows.length),
        });
        start += Number(g.num_rows);
      }
      return n;
    }
    case 'csv-myelin':
    case 'parquet-myelin': {
      const src = resolveSource(file as string, { baseDir: dirname(file as string) });
      async function* limited() {
        let n = 0;
        for await (const row of readRows(src)) {
          if (n++ >= limit) return;
          yield row;
        }
      }
      const report = await analyzeTable(limited(), { source: src.display });
      return report.rows;
    }
    default:
      throw new Error(`unknown phase ${phase}`);
  }
}

const t0 = performance.now();
const rows = await run();
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
