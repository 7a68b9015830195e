import { CompiledQuery, type Selectable } from 'kysely';
import type { EventCursor } from './metadata-inputs.js';
import type { RunEventsTable, RunsTable } from './schema/database.js';
import type { MetadataDialect } from './schema/metadata-dialect.js';

/**
 * The reads of a process following many runs at once (`listEvents({ cursors })`,
 * `listRuns({ ids })`) as one SQL text each, whatever the number of runs: the runs go in as one
 * parameter (a JSON array read by `json_each` on SQLite, arrays read by `unnest` / `any` on
 * PostgreSQL). Built with the query builder, a read of 300 runs was a 300-term `or` compiled anew
 * at every poll, and a new statement for SQLite to prepare each time the number of runs changed
 * (a sixth of a no-op step's CPU in bench:queue).
 */
export class FollowQueries {
  readonly #dialect: MetadataDialect;

  constructor(dialect: MetadataDialect) {
    this.#dialect = dialect;
  }

  /**
   * Events of each cursor's run with an id above its `afterId`, in id order, at most `limit`.
   * The cursors must name each run once (the join would return a run's events once per cursor).
   */
  eventsAfter(cursors: readonly EventCursor[], limit: number): CompiledQuery<Selectable<RunEventsTable>> {
    if (this.#dialect === 'sqlite')
      return CompiledQuery.raw(SQLITE_EVENTS, [
        JSON.stringify(cursors.map((c) => [c.runId, c.afterId])),
        limit,
      ]);
    return CompiledQuery.raw(POSTGRES_EVENTS, [
      cursors.map((c) => c.runId),
      cursors.map((c) => c.afterId),
      limit,
    ]);
  }

  /** The id and status of the runs of `ids` (each once). */
  statusesByIds(ids: readonly string[]): CompiledQuery<Pick<Selectable<RunsTable>, 'id' | 'status'>> {
    if (this.#dialect === 'sqlite') return CompiledQuery.raw(SQLITE_STATUSES, [JSON.stringify(ids)]);
    return CompiledQuery.raw(POSTGRES_STATUSES, [[...ids]]);
  }

  /** The runs of `ids` (each once), newest id first, at most `limit`. */
  runsByIds(ids: readonly string[], limit: number): CompiledQuery<Selectable<RunsTable>> {
    if (this.#dialect === 'sqlite') return CompiledQuery.raw(SQLITE_RUNS, [JSON.stringify(ids), limit]);
    return CompiledQuery.raw(POSTGRES_RUNS, [[...ids], limit]);
  }
}

const SQLITE_EVENTS =
  'select "run_events".* from json_each(?) as "c" ' +
  'join "run_events" on "run_events"."run_id" = json_extract("c"."value", \'$[0]\') ' +
  'and "run_events"."id" > json_extract("c"."value", \'$[1]\') ' +
  'order by "run_events"."id" limit ?';

const POSTGRES_EVENTS =
  'select "run_events".* from unnest($1::text[], $2::bigint[]) as "c"("run_id", "after_id") ' +
  'join "run_events" on "run_events"."run_id" = "c"."run_id" and "run_events"."id" > "c"."after_id" ' +
  'order by "run_events"."id" limit $3';

const SQLITE_RUNS =
  'select * from "runs" where "id" in (select "value" from json_each(?)) order by "id" desc limit ?';

const SQLITE_STATUSES =
  'select "id", "status" from "runs" where "id" in (select "value" from json_each(?))';

const POSTGRES_STATUSES = 'select "id", "status" from "runs" where "id" = any($1::text[])';

const POSTGRES_RUNS = 'select * from "runs" where "id" = any($1::text[]) order by "id" desc limit $2';
