import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FsArtifactStore } from '@myelin/artifacts';
import { openEmbeddedMetadataStore } from '@myelin/registry';
import { MyelinError } from '@myelin/errors';
import { LocalExecutor } from '../executor/local-executor.js';
import type { Stack } from './stack.js';

/** The folder that holds the embedded stack: `MYELIN_HOME`, else `./.myelin` in the working directory. */
export function myelinHome(): string {
  return resolve(process.env.MYELIN_HOME ?? '.myelin');
}

/** The no-servers stack: artifacts on disk, an embedded SQLite metadata file, steps in-process. */
export async function openEmbeddedStack(home = myelinHome()): Promise<Stack> {
  try {
    await mkdir(home, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_IO',
      `cannot create the Myelin folder ${home} (${code ?? String(e)}); set MYELIN_HOME to a writable folder`,
      { file: home },
      { cause: e },
    );
  }
  const store = new FsArtifactStore({ root: join(home, 'artifacts') });
  const meta = await openEmbeddedMetadataStore({ dir: home });
  return {
    name: 'embedded',
    store,
    meta,
    executor: new LocalExecutor(),
    describe: () => `embedded (${home}: artifacts on disk, SQLite metadata, in-process executor)`,
    close: () => meta.close(),
  };
}
