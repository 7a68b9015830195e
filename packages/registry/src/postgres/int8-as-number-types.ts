import type pg from 'pg';

/**
 * Type parsers for one pool (not `pg.types`, which is global to the process): `bigint` (int8)
 * values — the epoch-millisecond times and `count(*)` — come back as JavaScript numbers instead of
 * strings. Every value the store keeps in a bigint is far below 2^53, so nothing is rounded; a
 * larger one is an error rather than a silently wrong number. `driver` is the loaded `pg` module
 * (the store loads it when it opens, so a process on SQLite never does).
 */
export function int8AsNumberTypes(driver: typeof pg): pg.CustomTypesConfig {
  const types = new driver.TypeOverrides();
  types.setTypeParser(driver.types.builtins.INT8, (text: string) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} does not fit a JavaScript number`);
    return n;
  });
  return types;
}
