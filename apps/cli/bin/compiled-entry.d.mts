/** See compiled-entry.mjs. */
export declare function compiledEntry(
  cliDir: string,
  env?: NodeJS.ProcessEnv,
): { entry: string } | { entry: undefined; why: string };
