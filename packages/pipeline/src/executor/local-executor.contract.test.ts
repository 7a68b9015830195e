import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { FsArtifactStore } from '@myelin/artifacts';
import { openEmbeddedMetadataStore } from '@myelin/registry';
import { EXECUTOR_CONTRACT, type ExecutorFlavor } from '../testing/executor-contract.js';
import { LocalExecutor } from './local-executor.js';

/** The in-process flavor on an embedded stack (SQLite, files): it takes the steps from each request. */
const local: ExecutorFlavor = {
  name: 'local',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-local-contract-'));
    const meta = await openEmbeddedMetadataStore({ dir });
    return {
      executor: new LocalExecutor(),
      store: new FsArtifactStore({ root: join(dir, 'artifacts') }),
      meta,
      async close() {
        await meta.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

describe('LocalExecutor meets the Executor contract', () => {
  for (const c of EXECUTOR_CONTRACT) it(c.name, () => c.run(local));
});
