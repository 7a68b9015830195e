import { MyelinError } from '@myelin/errors';
import type { FlavorTable } from './flavor.js';

/** The flavor of `kind` in `table`, or a `MYELIN_ERR_STACK_CONFIG` naming the field and the kinds there are. */
export function findFlavor<Port, Deps, Config>(
  table: FlavorTable<Port, Deps, Config>,
  kind: string,
  section: string,
) {
  const flavor = table.find((f) => f.kind === kind);
  if (flavor) return flavor;
  throw new MyelinError(
    'MYELIN_ERR_STACK_CONFIG',
    `unknown ${section} kind "${kind}" (known: ${table.map((f) => f.kind).join(', ')})`,
    { path: `${section}.kind` },
  );
}

/**
 * Opens a port's adapter by flavor lookup: the one place where a stack's configuration becomes
 * an executor, an artifact store, a metadata store or a mirror (no `if (config.x)` elsewhere).
 *
 * @example const executor = await openFlavor(EXECUTOR_FLAVORS, config.executor, { meta }, 'executor');
 */
export async function openFlavor<Port, Deps, Config extends { kind: string }>(
  table: FlavorTable<Port, Deps, Config>,
  config: Config,
  deps: Deps,
  section: string,
): Promise<Port> {
  return findFlavor(table, config.kind, section).open(config, deps);
}
