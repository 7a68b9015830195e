import { MyelinError } from '@myelin/errors';
import type { MetadataStore, RunWithSteps } from '@myelin/registry';

/** The run with this id, or the CLI's one not-found error for it (`run-info`, `trials`). */
export async function requireRun(meta: MetadataStore, id: string): Promise<RunWithSteps> {
  const run = await meta.getRun(id);
  if (!run) throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no run with id ${id} (see myelin runs)`);
  return run;
}
