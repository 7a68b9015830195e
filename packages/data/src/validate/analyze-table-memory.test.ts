import { createWriteStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readColumnBatches } from '../io/read-rows.js';
import { resolveSource } from '../io/resolve-source.js';
import { analyzeBatches } from './analyze-table.js';

const ROWS = 1_000_000;

async function writeBigCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,x,cat,flag\n');
  const cats = ['alpha', 'beta', 'gamma', 'delta'];
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    chunk += `${i},${((i * 7919) % 10007) / 10},${cats[i % 4]},${i % 2 === 0}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

describe('analyzeTable memory', () => {
  it('streams a 1,000,000-row CSV with heap growth far below the file size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-big-'));
    const path = join(dir, 'big.csv');
    await writeBigCsv(path);
    const size = statSync(path).size;
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage();
    let peakRetained = 0;
    let calls = 0;
    const report = await analyzeBatches(
      readColumnBatches(resolveSource('big.csv', { baseDir: dir }), {
        onProgress: () => {
          calls++;
          gc(); // measure what the pass retains, not garbage waiting for collection
          peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - before.heapUsed);
        },
      }),
    );
    expect(report.rows).toBe(ROWS);
    expect(report.profile.columns.map((c) => c.type)).toEqual(['integer', 'number', 'category', 'boolean']);
    expect(report.profile.columns[0]?.distinctApproximate).toBe(true);
    expect(report.anomalies.find((a) => a.rule === 'duplicateRows')).toBeUndefined();
    // The file is ~24 MB and its rows as JS objects would take well over 100 MB; the pass keeps
    // only bounded sketches (+16 MiB of row hashes in a typed array, outside the JS heap) and one
    // batch of typed columns at a time.
    expect(size).toBeGreaterThan(20e6);
    expect(calls).toBeGreaterThan(10);
    expect(peakRetained).toBeLessThan(size / 2);
  }, 60_000);
});
