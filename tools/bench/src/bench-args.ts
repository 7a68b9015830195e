/**
 * The command-line options of the benchmark scripts, read one way: `--name` flags and
 * `--name value` options, with a clear error for a bad value.
 *
 * @example
 * const args = benchArgs(process.argv.slice(2));
 * const reps = args.int('--reps') ?? 3; if (args.flag('--quick')) …
 */
export function benchArgs(argv: readonly string[]) {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  return {
    /** Whether `--name` is given. */
    flag: (name: string): boolean => argv.includes(name),
    /** The string after `--name`, if given. */
    string: value,
    /** The positive integer after `--name`, if given. */
    int(name: string): number | undefined {
      const raw = value(name);
      if (raw === undefined) return undefined;
      const v = Number(raw);
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer, got ${raw}`);
      return v;
    },
    /** The comma-separated list after `--name`, if given. */
    list(name: string): string[] | undefined {
      const raw = value(name);
      return raw === undefined ? undefined : raw.split(',').filter(Boolean);
    },
  };
}
