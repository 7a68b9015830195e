import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../schema/database.js';
import { GroupCommit } from '../group-commit.js';
import { retryTransient } from '../retry-transient.js';
import { RUN_EVENTS_LOCK_KEY } from './ordered-events-postgres-dialect.js';

/** One event's row as it is inserted (its id comes from the table's identity). */
export interface EventRow {
  run_id: string;
  type: string;
  payload: string;
  ts: number;
}

interface Pending {
  row: EventRow;
  resolve: (id: number) => void;
  reject: (error: unknown) => void;
}

// The event lock is taken by the statement itself, before any id is drawn (the lock's subquery is
// evaluated first; with several rows the sort by position reads every row, lock included, before
// the insert draws the first id), and held until the statement commits: ids still commit in order.
const ONE =
  'insert into "run_events" ("run_id", "type", "payload", "ts") ' +
  `select $1::text, $2::text, $3::text, $4::bigint from (select pg_advisory_xact_lock(${RUN_EVENTS_LOCK_KEY})) as "l" ` +
  'returning "id"';
const MANY =
  'insert into "run_events" ("run_id", "type", "payload", "ts") ' +
  `select "v"."r", "v"."t", "v"."p", "v"."s" from (select pg_advisory_xact_lock(${RUN_EVENTS_LOCK_KEY})) as "l", ` +
  'unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) with ordinality as "v"("r", "t", "p", "s", "o") ' +
  'order by "v"."o" returning "id"';

/**
 * Group commit of event appends on PostgreSQL, one statement a group: the events appended together
 * (in one turn of the event loop, or while the previous group commits) are one multi-row insert that
 * takes the event lock itself, committed on its own (no BEGIN, lock, COMMIT round trips around
 * it). One group is in flight at a time, so events commit in the order they were appended. When a
 * group's insert fails (an event of a run that does not exist), it inserted nothing, and each of
 * its events is inserted again alone, so a bad append fails only its own caller.
 *
 * @example const id = await appends.append({ run_id, type: 'step', payload: '{}', ts: Date.now() });
 */
export class PostgresEventAppends {
  readonly #db: Kysely<Database>;
  readonly #groups: GroupCommit<Pending>;

  constructor(db: Kysely<Database>, maxBatch = 256) {
    this.#db = db;
    this.#groups = new GroupCommit((group) => this.#commit(group), maxBatch);
  }

  /** Resolves with the event's id once it is committed. */
  append(row: EventRow): Promise<number> {
    return new Promise<number>((resolve, reject) => this.#groups.push({ row, resolve, reject }));
  }

  /** Resolves once every event appended so far is committed or failed. */
  flush(): Promise<void> {
    return this.#groups.flush();
  }

  async #commit(group: Pending[]): Promise<void> {
    if (group.length > 1) {
      let ids: number[] | undefined;
      try {
        ids = await this.#insertMany(group.map((p) => p.row));
      } catch {
        // nothing of the group was inserted: each event alone below, with its own error
      }
      if (ids) {
        const error = new Error(`append event: ${group.length} events inserted, ${ids.length} ids returned`);
        group.forEach((p, i) => (ids[i] === undefined ? p.reject(error) : p.resolve(ids[i])));
        return;
      }
    }
    for (const p of group) {
      try {
        p.resolve(await this.#insertOne(p.row));
      } catch (e) {
        p.reject(e);
      }
    }
  }

  async #insertOne(row: EventRow): Promise<number> {
    const q: CompiledQuery<{ id: number }> = CompiledQuery.raw(ONE, [
      row.run_id,
      row.type,
      row.payload,
      row.ts,
    ]);
    const { rows } = await retryTransient(() => this.#db.executeQuery(q));
    const id = rows[0]?.id;
    if (id === undefined) throw new Error('append event: the insert returned no id');
    return Number(id);
  }

  async #insertMany(rows: EventRow[]): Promise<number[]> {
    const q: CompiledQuery<{ id: number }> = CompiledQuery.raw(MANY, [
      rows.map((r) => r.run_id),
      rows.map((r) => r.type),
      rows.map((r) => r.payload),
      rows.map((r) => r.ts),
    ]);
    const result = await retryTransient(() => this.#db.executeQuery(q));
    // the ids were drawn in the rows' order (the sort by position feeds the insert)
    return result.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }
}
