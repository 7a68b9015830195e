/**
 * A child process for the concurrency test: opens the embedded store in `dir` and, `count` times,
 * creates a run with steps, events and epochs, registers one version of its own and one version
 * that every writer registers (same manifest key), and moves an alias.
 * Usage: node --import tsx concurrent-writer.ts <dir> <writerId> <count>
 * After opening the store it prints `ready` and waits for a line on stdin, so that a test can start
 * every writer's loop at the same moment. At the end it prints one JSON line:
 * { runs, ownVersions, sharedCreated }.
 */
import { once } from 'node:events';
import { openEmbeddedMetadataStore } from '../sqlite/open-embedded-metadata-store.js';

const [dir, writerId, countText] = process.argv.slice(2);
if (!dir || !writerId || !countText) {
  console.error('usage: concurrent-writer.ts <dir> <writerId> <count>');
  process.exit(2);
}
const count = Number(countText);
const store = await openEmbeddedMetadataStore({ dir });
console.log('ready');
await once(process.stdin, 'data');
let sharedCreated = 0;
try {
  for (let i = 0; i < count; i++) {
    const run = await store.createRun({
      pipeline: 'shared',
      trigger: 'api',
      specHash: `s-${i}`,
      specText: 'x',
    });
    await store.startStep(run.id, 'train');
    await store.appendEvent(run.id, 'epoch', { writer: writerId, i });
    await store.recordEpoch({ runId: run.id, step: 'train', epoch: 0, metrics: { loss: i } });
    await store.recordEpoch({ runId: run.id, step: 'train', epoch: 0, metrics: { loss: i } }); // re-sent
    await store.appendStepLog(run.id, 'train', `writer ${writerId} line ${i}\n`);
    await store.finishStep(run.id, 'train', { status: 'succeeded' });
    await store.updateRun(run.id, { status: 'succeeded' });
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
