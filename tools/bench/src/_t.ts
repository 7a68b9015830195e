import { readColumnBatches, readRows, resolveSource } from '@myelin/data';
const file = process.argv[2]!;
const src = resolveSource(file, { baseDir: '/' });
const t0 = performance.now();
let n = 0;
for await (const b of readColumnBatches(src)) n += b.length;
console.log('columns', n, ((performance.now() - t0) / 1000).toFixed(2), 's', Math.round(process.resourceUsage().maxRSS / 1024), 'MB');
if (process.argv[3]) {
  const t1 = performance.now(); let m = 0;
  for await (const _ of readRows(src)) m++;
  console.log('rows', m, ((performance.now() - t1) / 1000).toFixed(2));
}
