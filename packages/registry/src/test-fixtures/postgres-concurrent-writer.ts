/**
 * A child process for the PostgreSQL concurrency test. Usage:
 *   node --import tsx postgres-concurrent-writer.ts <url> <writerId> <count>
 * It prints `started` and waits for a line on stdin, then opens the store (so that every writer
 * races to migrate the empty database at the same moment), prints `ready` and waits for another
 * line; then, `count` times, it creates a run, appends an event, registers one version of its own
 * and one version that every writer registers (same manifest key), moving an alias each time.
 * At the end it prints one JSON line: { runs, ownVersions, sharedCreated }.
 */
import { createInterface } from 'node:readline';
import { openPostgresMetadataStore } from '../postgres/open-postgres-metadata-store.js';

const [url, writerId, countText] = process.argv.slice(2);
if (!url || !writerId || !countText) {
  console.error('usage: postgres-concurrent-writer.ts <url> <writerId> <count>');
  process.exit(2);
}
const count = Number(countText);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

console.log('started');
await lines.next();
const store = await openPostgresMetadataStore({ url, poolSize: 4, applicationName: `writer-${writerId}` });
console.log('ready');
await lines.next();
let sharedCreated = 0;
try {
  for (let i = 0; i < count; i++) {
    const run = await store.createRun({
      pipeline: 'shared',
      trigger: 'api',
      specHash: `s-${i}`,
      specText: 'x',
    });
    await store.appendEvent(run.id, 'epoch', { writer: writerId, i });
    const base = {
      model: 'contended',
      metrics: { accuracy: i / count },
      gates: {},
      runId: run.id,
      specHash: `s-${i}`,
      dataHash: 'd',
      codeVersion: '0.1.0',
      who: `writer-${writerId}`,
    };
    await store.registerVersion({ ...base, manifestKey: `own-${writerId}-${i}`, aliases: ['candidate'] });
    const shared = await store.registerVersion({ ...base, manifestKey: `shared-${i}`, aliases: ['latest'] });
    if (shared.created) sharedCreated++;
  }
} finally {
  await store.close();
}
console.log(JSON.stringify({ runs: count, ownVersions: count, sharedCreated }));
process.exit(0);
