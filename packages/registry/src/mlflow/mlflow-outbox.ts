import type { Kysely } from 'kysely';
import { MyelinError } from '@myelin/errors';
import { KyselyMetadataStore } from '../kysely-metadata-store.js';
import type { MetadataStore } from '../metadata-store.js';
import { retryTransient } from '../retry-transient.js';
import type { MlflowOutboxDatabase, MlflowOutboxTable } from './mlflow-outbox-table.js';

/** What the outbox holds: a finished run, a registered version, an alias move. */
export type OutboxKind = 'run' | 'version' | 'alias';

/** One outbox row, decoded. Times are epoch milliseconds. */
export interface OutboxEntry {
  id: number;
  kind: OutboxKind;
  entityId: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
  createdAt: number;
}

/** Counts and lag of the outbox. */
export interface OutboxStats {
  pending: number;
  failed: number;
  delivered: number;
  /** `created_at` of the oldest pending row, or null when none is pending. */
  oldestPendingAt: number | null;
  /** The error of the most recently tried row that is not delivered, if any. */
  lastError: string | null;
}

/**
 * The MLflow mirror's outbox: a table in the metadata store's own database (migration
 * `002_mlflow_outbox`), so queuing a mirror write is a local insert that cannot fail because
 * MLflow is down. `(kind, entityId)` is unique: queuing the same thing again is a no-op.
 * Several processes may flush the same outbox: a row is claimed with a compare-and-set lease
 * (`claimed_until`) before it is delivered.
 *
 * @example
 * const outbox = MlflowOutbox.forStore(meta);
 * await outbox.enqueue('run', runId, payload);
 */
export class MlflowOutbox {
  readonly #db: Kysely<MlflowOutboxDatabase>;

  /** An outbox on a Kysely instance whose database has run the metadata migrations. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema that also holds mlflow_outbox
  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<MlflowOutboxDatabase>;
  }

  /**
   * The outbox in the same database as a metadata store opened by `openEmbeddedMetadataStore`,
   * `openPostgresMetadataStore` or `createKyselyMetadataStore` (it shares the store's connection
   * and is closed with it). Any other `MetadataStore`: `MYELIN_ERR_MLFLOW_CONFIG`.
   */
  static forStore(meta: MetadataStore): MlflowOutbox {
    if (meta instanceof KyselyMetadataStore) return new MlflowOutbox(meta.kysely);
    throw new MyelinError(
      'MYELIN_ERR_MLFLOW_CONFIG',
      `the MLflow mirror keeps its outbox in the metadata database, but ${meta.describe()} is not a Kysely metadata store; pass outbox: new MlflowOutbox(db)`,
    );
  }

  /** Queues a delivery. Returns false when `(kind, entityId)` was queued before (nothing changes). */
  async enqueue(kind: OutboxKind, entityId: string, payload: unknown, now = Date.now()): Promise<boolean> {
    const r = await retryTransient(() =>
      this.#db
        .insertInto('mlflow_outbox')
        .values({
          kind,
          entity_id: entityId,
          payload: JSON.stringify(payload),
          attempts: 0,
          next_attempt_at: now,
          claimed_until: null,
          delivered_at: null,
          last_error: null,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['kind', 'entity_id']).doNothing())
        .executeTakeFirst(),
    );
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** The state of `(kind, entityId)` in the outbox, or null when it was never queued. */
  async stateOf(kind: OutboxKind, entityId: string): Promise<'pending' | 'failed' | 'delivered' | null> {
    const row = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select(['delivered_at', 'next_attempt_at'])
        .where('kind', '=', kind)
        .where('entity_id', '=', entityId)
        .executeTakeFirst(),
    );
    if (!row) return null;
    if (row.delivered_at !== null) return 'delivered';
    return row.next_attempt_at !== null ? 'pending' : 'failed';
  }

  /** Entity ids of rows of `kind` queued after row `afterId` whose entity id starts with `prefix`. */
  async laterEntities(kind: OutboxKind, prefix: string, afterId: number): Promise<string[]> {
    const rows = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select('entity_id')
        .where('kind', '=', kind)
        .where('id', '>', afterId)
        .execute(),
    );
    return rows.map((r) => r.entity_id).filter((e) => e.startsWith(prefix));
  }

  /**
   * Claims up to `limit` rows to deliver now, oldest first: pending rows whose next attempt is due
   * (any pending row with `ignoreSchedule`), not leased by another flusher, queued at or after
   * `since`. Each claimed row gets `attempts + 1` and a lease until `now + leaseMs`.
   */
  async claim(opts: {
    limit: number;
    leaseMs: number;
    since?: number;
    /** Only rows with a larger id (a flush's cursor). */
    afterId?: number;
    ignoreSchedule?: boolean;
    now?: number;
  }): Promise<OutboxEntry[]> {
    const now = opts.now ?? Date.now();
    const rows = await retryTransient(() => {
      let q = this.#db
        .selectFrom('mlflow_outbox')
        .selectAll()
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', 'is not', null)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]));
      if (!opts.ignoreSchedule) q = q.where('next_attempt_at', '<=', now);
      if (opts.since !== undefined) q = q.where('created_at', '>=', opts.since);
      if (opts.afterId !== undefined) q = q.where('id', '>', opts.afterId);
      return q.orderBy('id').limit(opts.limit).execute();
    });
    const claimed: OutboxEntry[] = [];
    for (const row of rows) {
      const r = await retryTransient(() => {
        let q = this.#db
          .updateTable('mlflow_outbox')
          .set({ claimed_until: now + opts.leaseMs, attempts: Number(row.attempts) + 1 })
          .where('id', '=', row.id)
          .where('delivered_at', 'is', null)
          .where('attempts', '=', row.attempts);
        q =
          row.claimed_until === null
            ? q.where('claimed_until', 'is', null)
            : q.where('claimed_until', '=', row.claimed_until);
        return q.executeTakeFirst();
      });
      if (Number(r.numUpdatedRows) === 1)
        claimed.push(toEntry({ ...row, attempts: Number(row.attempts) + 1 }));
    }
    return claimed;
  }

  /** Marks a claimed row delivered (optionally with a note, e.g. "superseded by …"). */
  async markDelivered(id: number, note: string | null = null, now = Date.now()): Promise<void> {
    await this.#update(id, {
      delivered_at: now,
      claimed_until: null,
      next_attempt_at: null,
      last_error: note,
    });
  }

  /** Releases a claimed row to be tried again at `nextAttemptAt`, keeping the error. */
  async markRetry(id: number, error: string, nextAttemptAt: number): Promise<void> {
    await this.#update(id, { claimed_until: null, next_attempt_at: nextAttemptAt, last_error: error });
  }

  /** Releases a claimed row without counting the try (a dependency is not delivered yet). */
  async markDeferred(id: number, reason: string, nextAttemptAt: number): Promise<void> {
    await retryTransient(() =>
      this.#db
        .updateTable('mlflow_outbox')
        .set((eb) => ({
          claimed_until: null,
          next_attempt_at: nextAttemptAt,
          last_error: reason,
          attempts: eb('attempts', '-', 1),
        }))
        .where('id', '=', id)
        .execute(),
    );
  }

  /** Gives a claimed row up: it stays undelivered with its error until `requeueFailed`. */
  async markFailed(id: number, error: string): Promise<void> {
    await this.#update(id, { claimed_until: null, next_attempt_at: null, last_error: error });
  }

  /** Makes failed rows (queued at or after `since`) pending again with a fresh try count; returns how many. */
  async requeueFailed(opts: { since?: number; now?: number } = {}): Promise<number> {
    const r = await retryTransient(() => {
      let q = this.#db
        .updateTable('mlflow_outbox')
        .set({ next_attempt_at: opts.now ?? Date.now(), attempts: 0 })
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', 'is', null);
      if (opts.since !== undefined) q = q.where('created_at', '>=', opts.since);
      return q.executeTakeFirst();
    });
    return Number(r.numUpdatedRows);
  }

  /** The earliest next attempt of a pending row, or null when nothing is pending. */
  async nextDueAt(): Promise<number | null> {
    const r = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select((eb) => eb.fn.min('next_attempt_at').as('due'))
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', 'is not', null)
        .executeTakeFirst(),
    );
    return r?.due === null || r?.due === undefined ? null : Number(r.due);
  }

  /** Counts by state, the oldest pending row's age and the latest error. */
  async stats(): Promise<OutboxStats> {
    const rows = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.min('created_at').as('oldest'),
          eb
            .case()
            .when('delivered_at', 'is not', null)
            .then('delivered')
            .when('next_attempt_at', 'is not', null)
            .then('pending')
            .else('failed')
            .end()
            .as('state'),
        ])
        .groupBy('state')
        .execute(),
    );
    const stats: OutboxStats = {
      pending: 0,
      failed: 0,
      delivered: 0,
      oldestPendingAt: null,
      lastError: null,
    };
    for (const r of rows) {
      const state = r.state as 'delivered' | 'pending' | 'failed';
      stats[state] = Number(r.n);
      if (state === 'pending' && r.oldest !== null) stats.oldestPendingAt = Number(r.oldest);
    }
    const last = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select('last_error')
        .where('delivered_at', 'is', null)
        .where('last_error', 'is not', null)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
    );
    stats.lastError = last?.last_error ?? null;
    return stats;
  }

  /** Rows, oldest first, optionally only of one state. */
  async list(
    opts: { state?: 'pending' | 'failed' | 'delivered'; limit?: number } = {},
  ): Promise<OutboxEntry[]> {
    const rows = await retryTransient(() => {
      let q = this.#db.selectFrom('mlflow_outbox').selectAll();
      if (opts.state === 'delivered') q = q.where('delivered_at', 'is not', null);
      if (opts.state === 'pending')
        q = q.where('delivered_at', 'is', null).where('next_attempt_at', 'is not', null);
      if (opts.state === 'failed')
        q = q.where('delivered_at', 'is', null).where('next_attempt_at', 'is', null);
      return q
        .orderBy('id')
        .limit(opts.limit ?? 1000)
        .execute();
    });
    return rows.map(toEntry);
  }

  async #update(id: number, changes: Partial<Omit<MlflowOutboxTable, 'id'>>): Promise<void> {
    await retryTransient(() =>
      this.#db.updateTable('mlflow_outbox').set(changes).where('id', '=', id).execute(),
    );
  }
}

function toEntry(row: {
  id: number;
  kind: string;
  entity_id: string;
  payload: string;
  attempts: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
  last_error: string | null;
  created_at: number;
}): OutboxEntry {
  const n = (x: number | null): number | null => (x === null ? null : Number(x));
  return {
    id: Number(row.id),
    kind: row.kind as OutboxKind,
    entityId: row.entity_id,
    payload: JSON.parse(row.payload) as unknown,
    attempts: Number(row.attempts),
    nextAttemptAt: n(row.next_attempt_at),
    deliveredAt: n(row.delivered_at),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
  };
}
