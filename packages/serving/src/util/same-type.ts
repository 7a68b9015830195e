/**
 * `true` only when A and B are the same object type, optional fields included: a compile-time
 * check that a schema written beside a type still describes all of it.
 *
 * @example const _check: SameType<z.output<typeof schema>, Profile> = true;
 */
export type SameType<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
      ? true
      : false
    : false
  : false;
