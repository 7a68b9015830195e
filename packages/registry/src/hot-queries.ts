import type { InsertObject, Kysely, RawBuilder, Selectable, UpdateObject } from 'kysely';
import { PreparedQuery } from './prepared-query.js';
import type { Database, StepsTable } from './schema/database.js';

/** Which optional fields a step's finish record sets (each set of them is one query shape). */
export interface FinishShape {
  outputs: boolean;
  cacheKey: boolean;
  error: boolean;
}

type FinishKey =
  'run_id' | 'name' | 'now' | 'status' | 'outputs' | 'cache_key' | 'error_code' | 'error_message';

/**
 * The step's row upserted: inserted as `created` (at the next position of its run) or, when it is
 * there, changed by `changes` (in which `steps.<column>` is the existing row's value).
 */
function stepUpsert(
  db: Kysely<Database>,
  runId: RawBuilder<string>,
  created: Omit<InsertObject<Database, 'steps'>, 'run_id' | 'position'>,
  changes: UpdateObject<Database, 'steps'>,
) {
  return db
    .insertInto('steps')
    .values({
      ...created,
      run_id: runId,
      position: (eb) =>
        eb
          .selectFrom('steps')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('run_id', '=', runId),
    })
    .onConflict((oc) => oc.columns(['run_id', 'name']).doUpdateSet(changes))
    .returningAll();
}

/**
 * The queries of a step's hot path (its run read, its start and finish records, its events), built
 * once per store as `PreparedQuery`s: the same SQL as the query builder's, without building it
 * again for every step.
 */
export class HotQueries {
  readonly #db: Kysely<Database>;
  readonly #finish = new Map<string, PreparedQuery<FinishKey, Selectable<StepsTable>>>();

  readonly getRun;
  readonly appendEvent;
  readonly startStep;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.getRun = new PreparedQuery(['id'], (p) =>
      db
        .selectFrom('runs')
        .leftJoin('steps', 'steps.run_id', 'runs.id')
        .selectAll('runs')
        .select([
          'steps.name as step_name',
          'steps.position as step_position',
          'steps.status as step_status',
          'steps.created_at as step_created_at',
          'steps.started_at as step_started_at',
          'steps.finished_at as step_finished_at',
          'steps.attempt as step_attempt',
          'steps.logs as step_logs',
          'steps.error_code as step_error_code',
          'steps.error_message as step_error_message',
          'steps.outputs as step_outputs',
          'steps.cache_key as step_cache_key',
          'steps.lease_until as step_lease_until',
        ])
        .where('runs.id', '=', p<string>('id'))
        .orderBy('steps.position'),
    );
    this.appendEvent = new PreparedQuery(['run_id', 'type', 'payload', 'ts'], (p) =>
      db
        .insertInto('run_events')
        .values({
          run_id: p<string>('run_id'),
          type: p<string>('type'),
          payload: p<string>('payload'),
          ts: p<number>('ts'),
        })
        .returning('id'),
    );
    this.startStep = new PreparedQuery(['run_id', 'name', 'now'], (p) => {
      const start = {
        status: 'running',
        started_at: p<number>('now'),
        lease_until: null,
        finished_at: null,
        error_code: null,
        error_message: null,
      };
      return stepUpsert(
        db,
        p<string>('run_id'),
        {
          ...start,
          name: p<string>('name'),
          created_at: p<number>('now'),
          attempt: 1,
          logs: '',
          outputs: null,
          cache_key: null,
        },
        { ...start, attempt: (eb) => eb(eb.ref('steps.attempt'), '+', 1) },
      );
    });
  }

  /** The finish record's upsert for the fields `shape` says are set. */
  finishStep(shape: FinishShape): PreparedQuery<FinishKey, Selectable<StepsTable>> {
    const id = `${+shape.outputs}${+shape.cacheKey}${+shape.error}`;
    let q = this.#finish.get(id);
    if (!q) {
      const keys: FinishKey[] = ['run_id', 'name', 'now', 'status'];
      if (shape.outputs) keys.push('outputs');
      if (shape.cacheKey) keys.push('cache_key');
      if (shape.error) keys.push('error_code', 'error_message');
      q = new PreparedQuery(keys, (p) => {
        const changes: UpdateObject<Database, 'steps'> = {
          status: p<string>('status'),
          finished_at: p<number>('now'),
        };
        if (shape.outputs) changes.outputs = p<string | null>('outputs');
        if (shape.cacheKey) changes.cache_key = p<string | null>('cache_key');
        if (shape.error) {
          changes.error_code = p<string | null>('error_code');
          changes.error_message = p<string | null>('error_message');
        }
        return stepUpsert(
          this.#db,
          p<string>('run_id'),
          {
            name: p<string>('name'),
            status: p<string>('status'),
            created_at: p<number>('now'),
            started_at: null,
            finished_at: p<number>('now'),
            attempt: 0,
            logs: '',
            error_code: shape.error ? p<string | null>('error_code') : null,
            error_message: shape.error ? p<string | null>('error_message') : null,
            outputs: shape.outputs ? p<string | null>('outputs') : null,
            cache_key: shape.cacheKey ? p<string | null>('cache_key') : null,
            lease_until: null,
          },
          changes,
        );
      });
      this.#finish.set(id, q);
    }
    return q;
  }
}
