import type * as z from 'zod';

/**
 * One adapter of a port, as the stack sees it: the `kind` that selects it in `myelin.stack.yaml`
 * (`executor: { kind: bullmq, … }`), the zod schema of its section (the `kind` field included),
 * and how to open it from a checked section.
 */
export interface Flavor<Port, Deps, Config> {
  readonly kind: string;
  readonly configSchema: z.ZodType<Config>;
  /** Opens the adapter; the config is checked against `configSchema` first. */
  open(config: Config, deps: Deps): Promise<Port>;
}

/**
 * A flavor whose `open` only ever sees a config its own schema accepted (the registry looks flavors
 * up by `kind`; the re-check makes a section of another kind a clear error, not a wrong adapter).
 *
 * @example defineFlavor({ kind: 'local', configSchema: z.strictObject({ kind: z.literal('local') }), open: async () => new LocalExecutor() })
 */
export function defineFlavor<Config, Port, Deps>(def: {
  kind: string;
  configSchema: z.ZodType<Config>;
  open(config: Config, deps: Deps): Promise<Port>;
}): Flavor<Port, Deps, Config> {
  return {
    kind: def.kind,
    configSchema: def.configSchema,
    open: (config, deps) => def.open(def.configSchema.parse(config), deps),
  };
}

/** The flavors of one port, by kind. */
export type FlavorTable<Port, Deps, Config> = readonly Flavor<Port, Deps, Config>[];
