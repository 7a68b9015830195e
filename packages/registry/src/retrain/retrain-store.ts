import type { Kysely } from 'kysely';
import { MyelinError } from '@myelin/errors';
import { KyselyMetadataStore } from '../kysely-metadata-store.js';
import type { JsonObject } from '../metadata-records.js';
import type { MetadataStore } from '../metadata-store.js';
import { isUniqueViolation, retryTransient } from '../retry-transient.js';
import type {
  NewSchedule,
  RetrainClaim,
  RetrainDecision,
  RetrainTriggerRecord,
  ScheduleRecord,
} from './retrain-records.js';
import type { RetrainDatabase, RetrainTriggersTable, SchedulesTable } from './retrain-tables.js';

function toSchedule(r: SchedulesTable): ScheduleRecord {
  return {
    pipeline: r.pipeline,
    cron: r.cron,
    timezone: r.timezone,
    specText: r.spec_text,
    specFile: r.spec_file,
    options: r.run_options === null ? null : (JSON.parse(r.run_options) as JsonObject),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function toTrigger(r: RetrainTriggersTable): RetrainTriggerRecord {
  return {
    eventId: Number(r.event_id),
    model: r.model,
    version: Number(r.version),
    parentRunId: r.parent_run_id,
    pipeline: r.pipeline,
    decision: r.decision as RetrainDecision,
    reason: r.reason,
    runId: r.run_id,
    createdAt: Number(r.created_at),
  };
}

/**
 * Retraining's records, in the metadata store's own database (migration `005_retrain`): the cron
 * schedule of each pipeline, every drift event the retrain controller handled with its decision,
 * and each model's retraining claim. Every write is safe from several processes at once: a drift
 * event is recorded once (its id is the key, `recordTrigger` says whether this caller won), and a
 * claim moves by compare-and-set (`takeClaim`).
 *
 * @example
 * const retrain = RetrainStore.forStore(meta);
 * await retrain.upsertSchedule({ pipeline: 'penguins', cron: '0 3 * * 1', timezone: 'UTC', specText, specFile: null, options: null });
 */
export class RetrainStore {
  readonly #db: Kysely<RetrainDatabase>;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema that also holds the retrain tables
  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<RetrainDatabase>;
  }

  /**
   * The retrain store in the same database as a metadata store opened by `openEmbeddedMetadataStore`,
   * `openPostgresMetadataStore` or `createKyselyMetadataStore` (it shares the connection and is
   * closed with it). Any other `MetadataStore`: `MYELIN_ERR_REGISTRY`.
   */
  static forStore(meta: MetadataStore): RetrainStore {
    if (meta instanceof KyselyMetadataStore) return new RetrainStore(meta.kysely);
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `retraining keeps its schedules and triggers in the metadata database, but ${meta.describe()} is not a Kysely metadata store`,
    );
  }

  // ── schedules ─────────────────────────────────────────────────────────────────────────────

  /** Registers or changes a pipeline's schedule; returns it. */
  async upsertSchedule(input: NewSchedule, now = Date.now()): Promise<ScheduleRecord> {
    const changes = {
      cron: input.cron,
      timezone: input.timezone,
      spec_text: input.specText,
      spec_file: input.specFile,
      run_options: input.options === null ? null : JSON.stringify(input.options),
      updated_at: now,
    };
    await retryTransient(() =>
      this.#db
        .insertInto('schedules')
        .values({ pipeline: input.pipeline, created_at: now, ...changes })
        .onConflict((oc) => oc.column('pipeline').doUpdateSet(changes))
        .execute(),
    );
    const row = await this.getSchedule(input.pipeline);
    if (!row) throw new MyelinError('MYELIN_ERR_REGISTRY', `schedule of ${input.pipeline} vanished`);
    return row;
  }

  /** Removes a pipeline's schedule; false when it had none. */
  async removeSchedule(pipeline: string): Promise<boolean> {
    const r = await retryTransient(() =>
      this.#db.deleteFrom('schedules').where('pipeline', '=', pipeline).executeTakeFirst(),
    );
    return Number(r.numDeletedRows) > 0;
  }

  /** A pipeline's schedule, or null. */
  async getSchedule(pipeline: string): Promise<ScheduleRecord | null> {
    const row = await retryTransient(() =>
      this.#db.selectFrom('schedules').selectAll().where('pipeline', '=', pipeline).executeTakeFirst(),
    );
    return row ? toSchedule(row) : null;
  }

  /** Every schedule, by pipeline name. */
  async listSchedules(): Promise<ScheduleRecord[]> {
    const rows = await retryTransient(() =>
      this.#db.selectFrom('schedules').selectAll().orderBy('pipeline').execute(),
    );
    return rows.map(toSchedule);
  }

  // ── drift triggers ────────────────────────────────────────────────────────────────────────

  /**
   * Records a drift event as handled with its first decision; false when some process recorded
   * it already (then that process handles it, and this one must not).
   */
  async recordTrigger(input: Omit<RetrainTriggerRecord, 'createdAt'>, now = Date.now()): Promise<boolean> {
    try {
      const r = await retryTransient(() =>
        this.#db
          .insertInto('retrain_triggers')
          .values({
            event_id: input.eventId,
            model: input.model,
            version: input.version,
            parent_run_id: input.parentRunId,
            pipeline: input.pipeline,
            decision: input.decision,
            reason: input.reason,
            run_id: input.runId,
            created_at: now,
          })
          .onConflict((oc) => oc.column('event_id').doNothing())
          .executeTakeFirst(),
      );
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /** Changes the decision of a handled drift event (e.g. `started` with its run id). */
  async updateTrigger(
    eventId: number,
    patch: { decision: RetrainDecision; reason: string; runId?: string | null },
  ): Promise<void> {
    await retryTransient(() =>
      this.#db
        .updateTable('retrain_triggers')
        .set({
          decision: patch.decision,
          reason: patch.reason,
          ...(patch.runId !== undefined ? { run_id: patch.runId } : {}),
        })
        .where('event_id', '=', eventId)
        .execute(),
    );
  }

  /** The largest drift event id handled so far (0 when none): where the controller resumes. */
  async lastHandledEventId(): Promise<number> {
    const row = await retryTransient(() =>
      this.#db
        .selectFrom('retrain_triggers')
        .select((eb) => eb.fn.max('event_id').as('last'))
        .executeTakeFirst(),
    );
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last);
  }

  /** The handled drift events, newest first (optionally of one model, or one retraining run). */
  async listTriggers(
    query: { model?: string; runId?: string; limit?: number } = {},
  ): Promise<RetrainTriggerRecord[]> {
    const limit = Math.max(1, Math.min(1000, Math.floor(query.limit ?? 100)));
    const rows = await retryTransient(() => {
      let q = this.#db.selectFrom('retrain_triggers').selectAll();
      if (query.model !== undefined) q = q.where('model', '=', query.model);
      if (query.runId !== undefined) q = q.where('run_id', '=', query.runId);
      return q.orderBy('event_id', 'desc').limit(limit).execute();
    });
    return rows.map(toTrigger);
  }

  /** The drift event that started a retraining of this version, or null. */
  async startedFor(model: string, version: number): Promise<RetrainTriggerRecord | null> {
    const row = await retryTransient(() =>
      this.#db
        .selectFrom('retrain_triggers')
        .selectAll()
        .where('model', '=', model)
        .where('version', '=', version)
        .where('decision', '=', 'started')
        .orderBy('event_id')
        .executeTakeFirst(),
    );
    return row ? toTrigger(row) : null;
  }

  // ── claims ────────────────────────────────────────────────────────────────────────────────

  /** A model's retraining claim, or null when it never had one. */
  async getClaim(model: string): Promise<RetrainClaim | null> {
    const row = await retryTransient(() =>
      this.#db.selectFrom('retrain_claims').selectAll().where('model', '=', model).executeTakeFirst(),
    );
    return row ? { model: row.model, runId: row.run_id, claimedAt: Number(row.claimed_at) } : null;
  }

  /**
   * Takes a model's claim if it is still as this caller saw it (`seen`: the claim read before, or
   * null when there was none): true when this caller now holds it, false when another process
   * moved it first.
   */
  async takeClaim(model: string, seen: RetrainClaim | null, now = Date.now()): Promise<boolean> {
    if (seen === null) {
      try {
        const r = await retryTransient(() =>
          this.#db
            .insertInto('retrain_claims')
            .values({ model, run_id: null, claimed_at: now })
            .onConflict((oc) => oc.column('model').doNothing())
            .executeTakeFirst(),
        );
        return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
      } catch (e) {
        if (isUniqueViolation(e)) return false;
        throw e;
      }
    }
    const r = await retryTransient(() =>
      this.#db
        .updateTable('retrain_claims')
        .set({ run_id: null, claimed_at: now })
        .where('model', '=', model)
        .where('claimed_at', '=', seen.claimedAt)
        .executeTakeFirst(),
    );
    return Number(r.numUpdatedRows) > 0;
  }

  /** Records the run a held claim started. */
  async setClaimRun(model: string, runId: string): Promise<void> {
    await retryTransient(() =>
      this.#db.updateTable('retrain_claims').set({ run_id: runId }).where('model', '=', model).execute(),
    );
  }
}
