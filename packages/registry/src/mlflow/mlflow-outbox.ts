import { sql, type Kysely } from 'kysely';
import { MyelinError } from '@myelin/errors';
import { KyselyMetadataStore } from '../kysely-metadata-store.js';
import type { MetadataStore } from '../metadata-store.js';
import { retryTransient } from '../retry-transient.js';
import type { MlflowOutboxDatabase, MlflowOutboxTable } from './mlflow-outbox-table.js';

/** What the outbox holds: a finished run, a registered version, an alias move. */
export type OutboxKind = 'run' | 'version' | 'alias';

/** A param, metric, tag or model file MLflow refused (or the mirror could not send) inside a delivered row, and why. */
export interface SkippedItem {
  kind: 'param' | 'metric' | 'tag' | 'artifact';
  /** The name Myelin sent it under (after mapping into MLflow's alphabet). */
  key: string;
  /** MLflow's message, cut to 300 characters. */
  reason: string;
}

/** One outbox row, decoded. Times are epoch milliseconds. */
export interface OutboxEntry {
  id: number;
  /** The tracking server the row is for. */
  target: string;
  kind: OutboxKind;
  entityId: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
  /** What MLflow refused inside the row (the rest was delivered). */
  skipped: SkippedItem[];
  /** MLflow refused the whole row. */
  refused: boolean;
  createdAt: number;
}

/** Counts and lag of the outbox. */
export interface OutboxStats {
  pending: number;
  /** Failed rows, refused ones included. */
  failed: number;
  /** Failed rows MLflow refused as a whole (a 4xx: retrying changes nothing). */
  refused: number;
  delivered: number;
  /** Delivered rows in which MLflow refused some items (see `SkippedItem`). */
  deliveredWithSkips: number;
  /** `created_at` of the oldest pending row, or null when none is pending. */
  oldestPendingAt: number | null;
  /** The error of the most recently tried row that is not delivered, if any. */
  lastError: string | null;
}

/** Rows of one tracking server, by state. */
export interface OutboxTargetStats {
  target: string;
  pending: number;
  failed: number;
  delivered: number;
}

/**
 * The MLflow mirror's outbox for one tracking server: rows of a table in the metadata store's own
 * database (migrations `002_mlflow_outbox`, `003_mlflow_outbox_target`), so queuing a mirror write
 * is a local insert that cannot fail because MLflow is down. Every row records the server it is
 * for (`target`); `(target, kind, entityId)` is unique, so queuing the same thing again is a no-op,
 * and pointing Myelin at another server starts that server's rows afresh (`copyFromOtherTargets`).
 * Several processes may flush the same outbox: a row is claimed with a compare-and-set lease
 * (`claimed_until`) before it is delivered.
 *
 * @example
 * const outbox = MlflowOutbox.forStore(meta, 'http://mlflow:5000');
 * await outbox.enqueue('run', runId, payload);
 */
export class MlflowOutbox {
  readonly #db: Kysely<MlflowOutboxDatabase>;
  /** The tracking server this outbox delivers to. */
  readonly target: string;

  /** An outbox for `target` on a Kysely instance whose database has run the metadata migrations. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema that also holds mlflow_outbox
  constructor(db: Kysely<any>, target: string) {
    this.#db = db as Kysely<MlflowOutboxDatabase>;
    this.target = target;
  }

  /**
   * The outbox for `target` in the same database as a metadata store opened by
   * `openEmbeddedMetadataStore`, `openPostgresMetadataStore` or `createKyselyMetadataStore` (it
   * shares the store's connection and is closed with it). Any other `MetadataStore`:
   * `MYELIN_ERR_MLFLOW_CONFIG`.
   */
  static forStore(meta: MetadataStore, target: string): MlflowOutbox {
    if (meta instanceof KyselyMetadataStore) return new MlflowOutbox(meta.kysely, target);
    throw new MyelinError(
      'MYELIN_ERR_MLFLOW_CONFIG',
      `the MLflow mirror keeps its outbox in the metadata database, but ${meta.describe()} is not a Kysely metadata store; pass outbox: new MlflowOutbox(db, uri)`,
    );
  }

  /**
   * Makes rows from before the outbox knew its server (target `''`) this server's, unless this
   * server has a row for the same thing already. Returns how many were adopted.
   */
  async adoptUntargeted(): Promise<number> {
    const r = await retryTransient(() =>
      this.#db
        .updateTable('mlflow_outbox as o')
        .set({ target: this.target })
        .where('o.target', '=', '')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('mlflow_outbox as x')
                .select('x.id')
                .where('x.target', '=', this.target)
                .whereRef('x.kind', '=', 'o.kind')
                .whereRef('x.entity_id', '=', 'o.entity_id'),
            ),
          ),
        )
        .executeTakeFirst(),
    );
    return Number(r.numUpdatedRows);
  }

  /**
   * Queues for this server everything queued for another one that this server has no row for
   * (a new tracking server gets the whole history), in the original order so alias moves land in
   * order. Returns how many rows were queued.
   */
  async copyFromOtherTargets(now = Date.now()): Promise<number> {
    const others = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox as o')
        .select(['o.kind', 'o.entity_id', 'o.payload', 'o.created_at'])
        .where('o.target', '<>', this.target)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('mlflow_outbox as x')
                .select('x.id')
                .where('x.target', '=', this.target)
                .whereRef('x.kind', '=', 'o.kind')
                .whereRef('x.entity_id', '=', 'o.entity_id'),
            ),
          ),
        )
        .orderBy('o.id')
        .execute(),
    );
    let copied = 0;
    const seen = new Set<string>();
    for (const row of others) {
      const id = `${row.kind}\u0000${row.entity_id}`;
      if (seen.has(id)) continue; // the same thing queued for two other servers: once here
      seen.add(id);
      if (await this.enqueue(row.kind as OutboxKind, row.entity_id, JSON.parse(row.payload), now)) copied++;
    }
    return copied;
  }

  /** Rows by tracking server, this one included. */
  async targets(): Promise<OutboxTargetStats[]> {
    const rows = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select((eb) => [
          'target',
          eb.fn.countAll<number>().as('n'),
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
        .groupBy(['target', 'state'])
        .execute(),
    );
    const by = new Map<string, OutboxTargetStats>();
    for (const r of rows) {
      const t = by.get(r.target) ?? { target: r.target, pending: 0, failed: 0, delivered: 0 };
      t[r.state as 'delivered' | 'pending' | 'failed'] = Number(r.n);
      by.set(r.target, t);
    }
    return [...by.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  }

  /** How many things queued for another server this server has no row for (what `copyFromOtherTargets` would queue). */
  async notCopied(): Promise<number> {
    const r = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox as o')
        .select((eb) => eb.fn.count<number>(sql`distinct o.kind || ':' || o.entity_id`).as('n'))
        .where('o.target', '<>', this.target)
        .where('o.target', '<>', '')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('mlflow_outbox as x')
                .select('x.id')
                .where('x.target', '=', this.target)
                .whereRef('x.kind', '=', 'o.kind')
                .whereRef('x.entity_id', '=', 'o.entity_id'),
            ),
          ),
        )
        .executeTakeFirst(),
    );
    return Number(r?.n ?? 0);
  }

  /** Queues a delivery. Returns false when `(kind, entityId)` was queued before (nothing changes). */
  async enqueue(kind: OutboxKind, entityId: string, payload: unknown, now = Date.now()): Promise<boolean> {
    const r = await retryTransient(() =>
      this.#db
        .insertInto('mlflow_outbox')
        .values({
          target: this.target,
          kind,
          entity_id: entityId,
          payload: JSON.stringify(payload),
          attempts: 0,
          next_attempt_at: now,
          claimed_until: null,
          delivered_at: null,
          last_error: null,
          skipped: null,
          refused: 0,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['target', 'kind', 'entity_id']).doNothing())
        .executeTakeFirst(),
    );
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** The state of `(kind, entityId)` in the outbox, or null when nothing was queued for it. */
  async stateOf(kind: OutboxKind, entityId: string): Promise<'pending' | 'failed' | 'delivered' | null> {
    const row = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select(['delivered_at', 'next_attempt_at'])
        .where('target', '=', this.target)
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
        .where('target', '=', this.target)
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
        .where('target', '=', this.target)
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

  /**
   * Marks a claimed row delivered, optionally with a note (e.g. "superseded by …") and the items
   * MLflow refused inside it.
   */
  async markDelivered(
    id: number,
    note: string | null = null,
    skipped: SkippedItem[] = [],
    now = Date.now(),
  ): Promise<void> {
    await this.#update(id, {
      delivered_at: now,
      claimed_until: null,
      next_attempt_at: null,
      last_error: note,
      skipped: skipped.length ? JSON.stringify(skipped) : null,
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

  /**
   * Gives a claimed row up: it stays undelivered with its error until `requeueFailed`. `refused`:
   * MLflow refused it as a whole (a 4xx), so only an explicit `requeueFailed({ refused: true })`
   * tries it again.
   */
  async markFailed(id: number, error: string, opts: { refused?: boolean } = {}): Promise<void> {
    await this.#update(id, {
      claimed_until: null,
      next_attempt_at: null,
      last_error: error,
      refused: opts.refused ? 1 : 0,
    });
  }

  /**
   * Makes failed rows (queued at or after `since`) pending again with a fresh try count; rows
   * MLflow refused only with `refused: true`. Returns how many.
   */
  async requeueFailed(opts: { since?: number; now?: number; refused?: boolean } = {}): Promise<number> {
    const r = await retryTransient(() => {
      let q = this.#db
        .updateTable('mlflow_outbox')
        .set({ next_attempt_at: opts.now ?? Date.now(), attempts: 0, refused: 0 })
        .where('target', '=', this.target)
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', 'is', null);
      if (!opts.refused) q = q.where('refused', '=', 0);
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
        .where('target', '=', this.target)
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
          eb.fn.sum<number>('refused').as('refused'),
          eb.fn.count<number>('skipped').as('skips'),
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
        .where('target', '=', this.target)
        .groupBy('state')
        .execute(),
    );
    const stats: OutboxStats = {
      pending: 0,
      failed: 0,
      refused: 0,
      delivered: 0,
      deliveredWithSkips: 0,
      oldestPendingAt: null,
      lastError: null,
    };
    for (const r of rows) {
      const state = r.state as 'delivered' | 'pending' | 'failed';
      stats[state] = Number(r.n);
      if (state === 'pending' && r.oldest !== null) stats.oldestPendingAt = Number(r.oldest);
      if (state === 'failed') stats.refused = Number(r.refused ?? 0);
      if (state === 'delivered') stats.deliveredWithSkips = Number(r.skips ?? 0);
    }
    const last = await retryTransient(() =>
      this.#db
        .selectFrom('mlflow_outbox')
        .select('last_error')
        .where('target', '=', this.target)
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
      let q = this.#db.selectFrom('mlflow_outbox').selectAll().where('target', '=', this.target);
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
  target: string;
  kind: string;
  entity_id: string;
  payload: string;
  attempts: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
  last_error: string | null;
  skipped: string | null;
  refused: number;
  created_at: number;
}): OutboxEntry {
  const n = (x: number | null): number | null => (x === null ? null : Number(x));
  return {
    id: Number(row.id),
    target: row.target,
    kind: row.kind as OutboxKind,
    entityId: row.entity_id,
    payload: JSON.parse(row.payload) as unknown,
    attempts: Number(row.attempts),
    nextAttemptAt: n(row.next_attempt_at),
    deliveredAt: n(row.delivered_at),
    lastError: row.last_error,
    skipped: row.skipped ? (JSON.parse(row.skipped) as SkippedItem[]) : [],
    refused: Number(row.refused) === 1,
    createdAt: Number(row.created_at),
  };
}
