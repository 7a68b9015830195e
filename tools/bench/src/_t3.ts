import { analyzeBatches, readColumnBatches, resolveSource, type ColumnBatch } from '@myelin/data';
const file = process.argv[2]!;
const src = resolveSource(file, { baseDir: '/' });
const all: ColumnBatch[] = [];
let t0 = performance.now();
for await (const b of readColumnBatches(src)) all.push(b);
console.log('parse', ((performance.now() - t0) / 1000).toFixed(2));
for (let rep = 0; rep < 2; rep++) {
  t0 = performance.now();
  const r = await analyzeBatches(all, { allowDuplicates: process.argv[3] === 'nodup' });
  console.log('analyze', r.rows, ((performance.now() - t0) / 1000).toFixed(2));
}
