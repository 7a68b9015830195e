import { sql, type CompiledQuery, type Compilable, type RawBuilder } from 'kysely';

/** Marks a placeholder value: no real value of the store's starts with a NUL character. */
const MARK = '\u0000myelin-param:';

/** Where one parameter of the compiled SQL comes from: a named value, or one the builder fixed. */
type Slot<K extends string> = { key: K } | { fixed: unknown };

/**
 * A query built and compiled once, run many times with new values: building a Kysely query (its
 * operation tree, then the SQL) costs more than running a short one on SQLite, and the hot writes
 * of a step (its record, its events) have one shape each. `build` gets a placeholder for each
 * named value; the compiled SQL and tree are kept (the tree still tells the driver what the query
 * is, e.g. an insert into `run_events`), and `compile(values)` puts the values in the placeholders'
 * places. The SQL text is one string object each time, so statement caches find it fast.
 *
 * @example
 * const byId = new PreparedQuery(['id'], (p) => db.selectFrom('runs').selectAll().where('id', '=', p<string>('id')));
 * await trx.executeQuery(byId.compile({ id }));
 */
export class PreparedQuery<K extends string, R> {
  readonly #template: CompiledQuery<R>;
  readonly #slots: Slot<K>[];

  constructor(keys: readonly K[], build: (placeholder: <T>(key: K) => RawBuilder<T>) => Compilable<R>) {
    const byMark = new Map<unknown, K>(keys.map((k) => [MARK + k, k]));
    this.#template = build(<T>(key: K) => sql<T>`${MARK + key}`).compile();
    this.#slots = this.#template.parameters.map((value) => {
      const key = byMark.get(value);
      return key === undefined ? { fixed: value } : { key };
    });
    const used = new Set(this.#slots.flatMap((s) => ('key' in s ? [s.key] : [])));
    const unused = keys.filter((k) => !used.has(k));
    if (unused.length > 0)
      throw new Error(
        `prepared query: the values ${unused.join(', ')} are not parameters of ${this.#template.sql}`,
      );
  }

  /** The query with `values` in the placeholders' places. */
  compile(values: Record<K, unknown>): CompiledQuery<R> {
    return {
      ...this.#template,
      parameters: this.#slots.map((s) => ('key' in s ? values[s.key] : s.fixed)),
    };
  }
}
