const t0 = performance.now();
await import('./src/index.ts');
const t1 = performance.now();
await import('./src/io/read-parquet.ts');
const t2 = performance.now();
console.log('index', (t1 - t0).toFixed(0), 'read-parquet after index', (t2 - t1).toFixed(0));
