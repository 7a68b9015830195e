import { NumberCounts } from '../../../packages/data/src/profile/number-counts.js';
const xs = new Float64Array(1_000_000);
for (let i = 0; i < xs.length; i++) { const r = Math.random(); xs[i] = r < 0.3 ? 0 : Math.round(r * 1000) / 1000; }
for (let rep = 0; rep < 3; rep++) {
  const c = new NumberCounts();
  const t0 = performance.now();
  for (let i = 0; i < xs.length; i++) c.add(xs[i]!);
  console.log('ns/value', ((performance.now() - t0) * 1e6 / xs.length).toFixed(1), c.size);
}
const m = new Map<number, number>();
let t0 = performance.now();
for (let i = 0; i < xs.length; i++) { const x = xs[i]!; m.set(x, (m.get(x) ?? 0) + 1); }
console.log('Map ns/value', ((performance.now() - t0) * 1e6 / xs.length).toFixed(1));
for (let rep = 0; rep < 3; rep++) {
  const c = new NumberCounts();
  const t0 = performance.now();
  for (let i = 0; i < xs.length; i += 1000) c.addAll(xs.subarray(i, i + 1000), 1000, 1e9);
  console.log('addAll ns/value', ((performance.now() - t0) * 1e6 / xs.length).toFixed(1), c.size);
}
