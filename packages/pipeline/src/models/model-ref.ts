import { MyelinError } from '@myelin/errors';
import type { MetadataStore, VersionRecord } from '@myelin/registry';

export interface ModelRef {
  model: string;
  version?: number;
  alias?: string;
}

/**
 * Parses `name`, `name@3` or `name:alias`.
 *
 * @example
 * parseModelRef('penguins:staging'); // { model: 'penguins', alias: 'staging' }
 */
export function parseModelRef(text: string): ModelRef {
  const m = /^([^@:\s]+)(?:@(\d+)|:([A-Za-z][\w.-]*))?$/.exec(text);
  if (!m) {
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `"${text}" is not a model reference; use name, name@version or name:alias`,
    );
  }
  return { model: m[1]!, ...(m[2] ? { version: Number(m[2]) } : {}), ...(m[3] ? { alias: m[3] } : {}) };
}

/** Finds the version a reference names: the alias's target, the given number, or the latest. */
export async function resolveModelRef(meta: MetadataStore, ref: ModelRef): Promise<VersionRecord> {
  const label = `${ref.model}${ref.alias ? `:${ref.alias}` : ref.version ? `@${ref.version}` : ''}`;
  let version = ref.version ?? null;
  if (ref.alias) {
    version = await meta.resolveAlias(ref.model, ref.alias);
    if (version === null)
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY_NOT_FOUND',
        `model ${ref.model} has no alias "${ref.alias}"`,
      );
  }
  if (version === null) {
    const model = await meta.getModel(ref.model);
    if (!model || model.latestVersion === null)
      throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no registered model named "${ref.model}"`);
    version = model.latestVersion;
  }
  const rec = await meta.getVersion(ref.model, version);
  if (!rec)
    throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `${label}: version ${version} does not exist`);
  return rec;
}
