import { analyzeBatches, readColumnBatches, resolveSource } from '@myelin/data';
const file = process.argv[2]!;
const src = resolveSource(file, { baseDir: '/' });
const t0 = performance.now();
const r = await analyzeBatches(readColumnBatches(src), {});
const s = (performance.now() - t0) / 1000;
console.log('cpu', ((process.cpuUsage().user + process.cpuUsage().system)/1e6).toFixed(2), 'analyze', r.rows, s.toFixed(2), 's', Math.round(r.rows / s), 'rows/s', Math.round(process.resourceUsage().maxRSS / 1024), 'MB', r.anomalies.length);
if (process.argv[3]) console.log(JSON.stringify(r.profile.columns.slice(0, 6), null, 0).slice(0, 3000));
