import { sql, type Kysely, type Selectable, type Transaction, type UpdateObject } from 'kysely';
import { MyelinError } from '@myelin/errors';
import type {
  AliasActor,
  EventCursor,
  ListEventsQuery,
  ListRunsQuery,
  NewEpoch,
  NewRun,
  NewVersion,
  RunPatch,
  StepPatch,
  StepResult,
} from './metadata-inputs.js';
import {
  RUN_STATUSES,
  RUN_TRIGGERS,
  STEP_STATUSES,
  type AliasChange,
  type EpochRecord,
  type JsonValue,
  type ModelDetail,
  type ModelRecord,
  type PipelineRecord,
  type RunEvent,
  type RunRecord,
  type RunStatus,
  type RunWithSteps,
  type StepRecord,
  type VersionRecord,
} from './metadata-records.js';
import type { MetadataStore } from './metadata-store.js';
import { checkAlias, checkModelName, checkOneOf, checkText, checkVersion } from './input-checks.js';
import {
  isForeignKeyViolation,
  isTransientDbError,
  isUniqueViolation,
  retryTransient,
} from './retry-transient.js';
import {
  toAliasChange,
  toEpoch,
  toEvent,
  toJsonText,
  toPipeline,
  toRun,
  toStep,
  toVersion,
} from './row-mappers.js';
import { newRunId } from './run-id.js';
import type { Database, RunsTable, StepsTable } from './schema/database.js';
import type { MetadataDialect } from './schema/metadata-dialect.js';
import { migrateMetadataStore } from './schema/migrate-metadata-store.js';
import type { KyselyMetadataStoreOptions } from './kysely-metadata-store-options.js';
import { WriteBatcher } from './write-batcher.js';
import { FollowQueries } from './follow-queries.js';
import { PostgresEventAppends } from './postgres/postgres-event-appends.js';
import { HotQueries } from './hot-queries.js';

type Db = Kysely<Database> | Transaction<Database>;
const FINAL_RUN_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Migrates the database to the latest schema and returns a `MetadataStore` on it. The SQLite
 * and PostgreSQL adapters differ only in the `Kysely` instance (dialect) they pass in.
 */
export async function createKyselyMetadataStore(
  db: Kysely<Database>,
  dialect: MetadataDialect,
  options: KyselyMetadataStoreOptions = {},
): Promise<MetadataStore> {
  await migrateMetadataStore(db, dialect, options.description ?? dialect);
  if (dialect === 'sqlite') await requireSqliteForeignKeys(db, options.description ?? dialect);
  return new KyselyMetadataStore(db, dialect, options);
}

/**
 * The `MetadataStore` over Kysely, in portable SQL only (text JSON, integer times, no booleans,
 * `ON CONFLICT` upserts, `RETURNING`). Every write is atomic and retried on transient failures
 * (busy database, serialization failure, deadlock): a transaction, or on PostgreSQL one statement
 * on its own where the write is one (a step's record, a run's status); on SQLite each transaction
 * takes the write lock up front (see `ImmediateSqliteDialect`). Writes issued close together share
 * one transaction (group commit, `WriteBatcher`), in the order they were issued: every write on
 * SQLite, event appends on PostgreSQL; each write's promise settles once it committed. Reads do not
 * wait for writes still queued (await a write before reading what it wrote).
 */
export class KyselyMetadataStore implements MetadataStore {
  readonly dialect: MetadataDialect;
  readonly #db: Kysely<Database>;
  readonly #description: string;
  readonly #onClose: (() => Promise<void> | void) | undefined;
  /**
   * Group commit (see `WriteBatcher`): one transaction for writes issued together. On SQLite every
   * write goes through it (one writer at a time anyway). On PostgreSQL the other writes run in the
   * pool's parallel transactions (one group at a time for every write measured slower there:
   * bench:queue 42 vs 78 steps/s), and event appends, which commit one at a time under the event
   * lock (`OrderedEventsPostgresDialect`), are grouped by `PostgresEventAppends`.
   */
  readonly #batcher: WriteBatcher<Transaction<Database>> | undefined;
  /** On PostgreSQL, event appends issued together are one insert statement (see `PostgresEventAppends`). */
  readonly #pgEvents: PostgresEventAppends | undefined;
  /** The step hot path's queries, built once (see `HotQueries`). */
  readonly #hot: HotQueries;
  /** The many-run reads of follow loops, one SQL text each (see `FollowQueries`). */
  readonly #follow: FollowQueries;

  constructor(db: Kysely<Database>, dialect: MetadataDialect, options: KyselyMetadataStoreOptions = {}) {
    this.#db = db;
    const batcher = () =>
      new WriteBatcher<Transaction<Database>>((fn) => retryTransient(() => db.transaction().execute(fn)));
    this.#batcher = dialect === 'sqlite' ? batcher() : undefined;
    this.#pgEvents = dialect === 'postgres' ? new PostgresEventAppends(db) : undefined;
    this.#hot = new HotQueries(db);
    this.#follow = new FollowQueries(dialect);
    this.dialect = dialect;
    this.#description = options.description ?? dialect;
    this.#onClose = options.onClose;
  }

  describe(): string {
    return this.#description;
  }

  /**
   * The Kysely instance under the store, for companion tables kept in the same database (the MLflow
   * mirror's outbox, see `MlflowOutbox.forStore`). Not part of the `MetadataStore` port: never use it
   * to write the port's own tables, and never close it (`close()` does).
   */
  get kysely(): Kysely<Database> {
    return this.#db;
  }

  // ── runs ────────────────────────────────────────────────────────────────────────────────

  async createRun(input: NewRun): Promise<RunRecord> {
    const pipeline = checkText('pipeline', input.pipeline);
    const trigger = checkOneOf('run trigger', input.trigger, RUN_TRIGGERS);
    const status = checkOneOf('run status', input.status ?? 'queued', RUN_STATUSES);
    const specHash = checkText('spec hash', input.specHash);
    if (typeof input.specText !== 'string') checkText('spec text', input.specText);
    const id = input.id === undefined ? newRunId() : checkText('run id', input.id);
    if (this.dialect === 'postgres') return this.#createRunOneStatement(input, pipeline, trigger, status, specHash, id);
    return this.#write('create run', this.#batcher, async (trx) => {
      const now = Date.now();
      // the pipeline's row is made sure of first (the run refers to it) but changed last: on a
      // server database its row lock, which every run of the pipeline takes, is held from that
      // update to the commit only (runs submitted together queued behind it for the whole write)
      await trx
        .insertInto('pipelines')
        .values({ name: pipeline, latest_spec_hash: specHash, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = newRunRow(input, { id, pipeline, status, trigger, specHash }, now);
      await trx.insertInto('runs').values(row).execute();
      await trx
        .updateTable('pipelines')
        .set({ latest_spec_hash: specHash, updated_at: now })
        .where('name', '=', pipeline)
        .execute();
      return toRun(row);
    });
  }

  /**
   * PostgreSQL's `createRun`: the pipeline's row, the run's row and the pipeline's latest spec in
   * one statement (data-modifying CTEs), so one round trip without BEGIN and COMMIT instead of
   * five (bench:queue counted them: a fifth of a queued run's statements). The statement is atomic
   * as the transaction was. Its parts share one snapshot: when the pipeline is new, the insert
   * writes its latest spec and the update finds no row; when it exists, the insert does nothing and
   * the update sets it. The row lock on the pipeline is held for this statement only.
   */
  #createRunOneStatement(
    input: NewRun,
    pipeline: string,
    trigger: (typeof RUN_TRIGGERS)[number],
    status: (typeof RUN_STATUSES)[number],
    specHash: string,
    id: string,
  ): Promise<RunRecord> {
    return this.#writeOne('create run', async (db) => {
      const now = Date.now();
      const row = newRunRow(input, { id, pipeline, status, trigger, specHash }, now);
      await db
        .with('pipeline_row', (w) =>
          w
            .insertInto('pipelines')
            .values({ name: pipeline, latest_spec_hash: specHash, created_at: now, updated_at: now })
            .onConflict((oc) => oc.column('name').doNothing()),
        )
        .with('run_row', (w) => w.insertInto('runs').values(row))
        .updateTable('pipelines')
        .set({ latest_spec_hash: specHash, updated_at: now })
        .where('name', '=', pipeline)
        .execute();
      return toRun(row);
    });
  }

  async updateRun(id: string, patch: RunPatch): Promise<RunRecord> {
    const status =
      patch.status === undefined ? undefined : checkOneOf('run status', patch.status, RUN_STATUSES);
    return this.#writeOne('update run', async (trx) => {
      const now = Date.now();
      const changes: UpdateObject<Database, 'runs'> = {};
      if (status !== undefined) {
        changes.status = status;
        // the first start and the first end are kept: a run started again keeps its start time
        if (status === 'running')
          changes.started_at = sql<number>`coalesce(${sql.ref('started_at')}, ${now})`;
        if (FINAL_RUN_STATUSES.has(status))
          changes.finished_at = sql<number>`coalesce(${sql.ref('finished_at')}, ${now})`;
      }
      if (patch.startedAt !== undefined) changes.started_at = patch.startedAt;
      if (patch.finishedAt !== undefined) changes.finished_at = patch.finishedAt;
      if (patch.error !== undefined) {
        changes.error_code = patch.error?.code ?? null;
        changes.error_message = patch.error?.message ?? null;
      }
      if (patch.summary !== undefined) changes.summary = toJsonText(patch.summary);
      const row =
        Object.keys(changes).length > 0
          ? await trx.updateTable('runs').set(changes).where('id', '=', id).returningAll().executeTakeFirst()
          : await trx.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound(`run "${id}" does not exist`);
      return toRun(row);
    });
  }

  async getRun(id: string): Promise<RunWithSteps | null> {
    return this.#read('read run', async () => {
      // one statement (one snapshot, one round trip): the run's row once per step, or once alone
      const { rows } = await this.#db.executeQuery(this.#hot.getRun.compile({ id }));
      const first = rows[0];
      if (!first) return null;
      const steps: StepRecord[] = [];
      for (const r of rows) {
        if (
          r.step_name === null ||
          r.step_position === null ||
          r.step_status === null ||
          r.step_created_at === null ||
          r.step_attempt === null ||
          r.step_logs === null
        )
          continue; // no step (the left join's one row of a run without steps)
        steps.push(
          toStep({
            run_id: id,
            name: r.step_name,
            position: r.step_position,
            status: r.step_status,
            created_at: r.step_created_at,
            started_at: r.step_started_at,
            finished_at: r.step_finished_at,
            attempt: r.step_attempt,
            logs: r.step_logs,
            error_code: r.step_error_code,
            error_message: r.step_error_message,
            outputs: r.step_outputs,
            cache_key: r.step_cache_key,
            lease_until: r.step_lease_until,
          }),
        );
      }
      return { ...toRun(first), steps };
    });
  }

  async listRuns(query: ListRunsQuery = {}): Promise<{ runs: RunRecord[]; nextCursor: string | null }> {
    const limit = Math.max(1, Math.min(500, Math.floor(query.limit ?? 50)));
    const statuses =
      query.status === undefined
        ? undefined
        : [query.status].flat().map((s) => checkOneOf('run status', s, RUN_STATUSES));
    const ids = query.ids === undefined ? undefined : [...new Set(query.ids)];
    if (ids !== undefined && ids.length > 500)
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `listRuns reads at most 500 ids at once, got ${ids.length}`,
      );
    const idsOnly = ids !== undefined && statuses === undefined && query.pipeline === undefined && !query.cursor;
    return this.#read('list runs', async () => {
      if (idsOnly) {
        if (ids.length === 0) return { runs: [], nextCursor: null };
        const { rows } = await this.#db.executeQuery(this.#follow.runsByIds(ids, limit + 1));
        const page = rows.slice(0, limit).map(toRun);
        return { runs: page, nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
      }
      let q = this.#db.selectFrom('runs').selectAll();
      if (ids !== undefined) q = q.where('id', 'in', ids.length ? ids : ['-']);
      if (statuses !== undefined) q = q.where('status', 'in', statuses.length ? statuses : ['-']);
      if (query.pipeline !== undefined) q = q.where('pipeline', '=', query.pipeline);
      if (query.cursor) q = q.where('id', '<', query.cursor);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit).map(toRun);
      return { runs: page, nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    });
  }

  async runStatuses(ids: readonly string[]): Promise<Map<string, RunStatus>> {
    const unique = [...new Set(ids)];
    if (unique.length > 500)
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `runStatuses reads at most 500 ids at once, got ${unique.length}`,
      );
    if (unique.length === 0) return new Map();
    return this.#read('read run statuses', async () => {
      const { rows } = await this.#db.executeQuery(this.#follow.statusesByIds(unique));
      return new Map(rows.map((r) => [r.id, checkOneOf('run status', r.status, RUN_STATUSES)]));
    });
  }

  async listPipelines(): Promise<PipelineRecord[]> {
    return this.#read('list pipelines', async () =>
      (await this.#db.selectFrom('pipelines').selectAll().orderBy('name').execute()).map(toPipeline),
    );
  }

  // ── steps ───────────────────────────────────────────────────────────────────────────────

  async upsertStep(runId: string, name: string, patch: StepPatch = {}): Promise<StepRecord> {
    checkText('step name', name);
    if (patch.status !== undefined) checkOneOf('step status', patch.status, STEP_STATUSES);
    return this.#writeOne('write step', async (trx) => {
      const changes: Partial<StepsTable> = {};
      if (patch.status !== undefined) changes.status = patch.status;
      if (patch.cacheKey !== undefined) changes.cache_key = patch.cacheKey;
      if (patch.outputs !== undefined) changes.outputs = toJsonText(patch.outputs);
      return toStep(await this.#changeStep(trx, runId, name, changes, changes));
    });
  }

  async startStep(runId: string, name: string): Promise<StepRecord> {
    checkText('step name', name);
    return this.#writeOne('start step', async (trx) => {
      const q = this.#hot.startStep.compile({ run_id: runId, name, now: Date.now() });
      const { rows } = await trx.executeQuery(q).catch(missingRunAs(runId));
      return toStep(oneRow(rows, 'start step'));
    });
  }

  async finishStep(runId: string, name: string, result: StepResult): Promise<StepRecord> {
    checkText('step name', name);
    const status = checkOneOf('step result', result.status, [
      'succeeded',
      'failed',
      'skipped',
      'cached',
    ] as const);
    return this.#writeOne('finish step', async (trx) => {
      const shape = {
        outputs: result.outputs !== undefined,
        cacheKey: result.cacheKey !== undefined,
        error: result.error !== undefined,
      };
      const q = this.#hot.finishStep(shape).compile({
        run_id: runId,
        name,
        now: Date.now(),
        status,
        outputs: result.outputs === undefined ? undefined : toJsonText(result.outputs),
        cache_key: result.cacheKey,
        error_code: result.error?.code ?? null,
        error_message: result.error?.message ?? null,
      });
      const { rows } = await trx.executeQuery(q).catch(missingRunAs(runId));
      return toStep(oneRow(rows, 'finish step'));
    });
  }

  async heartbeatStep(runId: string, name: string, leaseMs: number): Promise<void> {
    checkText('step name', name);
    if (!Number.isFinite(leaseMs) || leaseMs <= 0)
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `a step lease must be a positive number of ms, got ${leaseMs}`,
      );
    await this.#writeOne('heartbeat step', async (trx) => {
      await trx
        .updateTable('steps')
        .set({ lease_until: Date.now() + Math.ceil(leaseMs) })
        .where('run_id', '=', runId)
        .where('name', '=', name)
        .where('status', '=', 'running')
        .execute();
    });
  }

  async appendStepLog(runId: string, name: string, text: string): Promise<void> {
    checkText('step name', name);
    if (typeof text !== 'string') checkText('log text', text);
    if (text === '') return;
    await this.#writeOne('append step log', async (trx) => {
      await this.#changeStep(
        trx,
        runId,
        name,
        { logs: sql<string>`${sql.ref('steps.logs')} || cast(${text} as text)` },
        { logs: text },
      );
    });
  }

  // ── epochs and events ───────────────────────────────────────────────────────────────────

  async recordEpoch(input: NewEpoch): Promise<void> {
    checkText('step name', input.step);
    if (!Number.isInteger(input.epoch) || input.epoch < 0) {
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `epoch ${JSON.stringify(input.epoch)} is not a non-negative integer`,
      );
    }
    await this.#writeOne('record epoch', async (trx) => {
      const values = {
        run_id: input.runId,
        step: input.step,
        epoch: input.epoch,
        metrics: JSON.stringify(input.metrics),
        duration_ms:
          input.durationMs === undefined || input.durationMs === null ? null : Math.round(input.durationMs),
        recorded_at: Date.now(),
      };
      await trx
        .insertInto('epoch_metrics')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['run_id', 'step', 'epoch']).doUpdateSet({
            metrics: values.metrics,
            duration_ms: values.duration_ms,
            recorded_at: values.recorded_at,
          }),
        )
        .execute()
        .catch(missingRunAs(input.runId));
    });
  }

  async listEpochs(runId: string, step?: string): Promise<EpochRecord[]> {
    return this.#read('list epochs', async () => {
      let q = this.#db.selectFrom('epoch_metrics').selectAll().where('run_id', '=', runId);
      if (step !== undefined) q = q.where('step', '=', step);
      return (await q.orderBy('step').orderBy('epoch').execute()).map(toEpoch);
    });
  }

  async appendEvent(runId: string, type: string, payload: JsonValue = null): Promise<RunEvent> {
    checkText('event type', type);
    const pgEvents = this.#pgEvents;
    if (pgEvents) {
      const row = { run_id: runId, type, payload: JSON.stringify(payload), ts: Date.now() };
      return this.#guard('append event', async () =>
        toEvent({ ...row, id: await pgEvents.append(row).catch(missingRunAs(runId)) }),
      );
    }
    return this.#write('append event', this.#batcher, async (trx) => {
      const values = { run_id: runId, type, payload: JSON.stringify(payload), ts: Date.now() };
      const { rows } = await trx
        .executeQuery(this.#hot.appendEvent.compile(values))
        .catch(missingRunAs(runId));
      return toEvent({ ...values, id: oneRow(rows, 'append event').id });
    });
  }

  async listEvents(query: ListEventsQuery = {}): Promise<RunEvent[]> {
    const limit = Math.max(1, Math.min(10_000, Math.floor(query.limit ?? 1000)));
    const cursors = query.cursors === undefined ? undefined : checkEventCursors(query);
    if (cursors !== undefined && cursors.length === 0) return [];
    return this.#read('list events', async () => {
      if (cursors !== undefined) {
        const { rows } = await this.#db.executeQuery(this.#follow.eventsAfter(cursors, limit));
        return rows.map(toEvent);
      }
      let q = this.#db.selectFrom('run_events').selectAll();
      if (query.runId !== undefined) q = q.where('run_id', '=', query.runId);
      if (query.afterId !== undefined) q = q.where('id', '>', query.afterId);
      return (await q.orderBy('id').limit(limit).execute()).map(toEvent);
    });
  }

  // ── models, versions, aliases ───────────────────────────────────────────────────────────

  async registerVersion(input: NewVersion): Promise<{ version: VersionRecord; created: boolean }> {
    const model = checkModelName(input.model);
    const manifestKey = checkText('manifest key', input.manifestKey);
    const aliases = [...new Set((input.aliases ?? []).map(checkAlias))];
    const who = checkText('who', input.who);
    checkText('run id', input.runId);
    // A unique violation means another writer took the same number or registered the same manifest
    // between our read and our insert (possible on a server database): run the transaction again.
    const retryable = (e: unknown): boolean => isTransientDbError(e) || isUniqueViolation(e);
    return this.#write(
      'register version',
      this.#batcher,
      async (trx) => {
        const existing = await trx
          .selectFrom('versions')
          .selectAll()
          .where('model', '=', model)
          .where('manifest_key', '=', manifestKey)
          .executeTakeFirst();
        if (existing) {
          return {
            version: toVersion(existing, await this.#aliasesOf(trx, model, Number(existing.version))),
            created: false,
          };
        }
        const now = Date.now();
        await trx
          .insertInto('models')
          .values({ name: model, created_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        await this.#lockModel(trx, model);
        const { latest } = await trx
          .selectFrom('versions')
          .select((eb) => eb.fn.max('version').as('latest'))
          .where('model', '=', model)
          .executeTakeFirstOrThrow();
        const row = {
          model,
          version: Number(latest ?? 0) + 1,
          manifest_key: manifestKey,
          metrics: JSON.stringify(input.metrics ?? {}),
          gates: JSON.stringify(input.gates ?? {}),
          run_id: input.runId,
          spec_hash: input.specHash,
          data_hash: input.dataHash,
          code_version: input.codeVersion,
          created_at: now,
        };
        await trx.insertInto('versions').values(row).execute();
        for (const alias of aliases) {
          await this.#moveAlias(trx, model, alias, row.version, { who, why: input.why }, now);
        }
        return { version: toVersion(row, aliases), created: true };
      },
      retryable,
    );
  }

  async getVersion(model: string, version: number): Promise<VersionRecord | null> {
    return this.#read('read version', async () => {
      const row = await this.#db
        .selectFrom('versions')
        .selectAll()
        .where('model', '=', model)
        .where('version', '=', version)
        .executeTakeFirst();
      return row ? toVersion(row, await this.#aliasesOf(this.#db, model, version)) : null;
    });
  }

  async findVersionByManifest(model: string, manifestKey: string): Promise<VersionRecord | null> {
    return this.#read('find version', async () => {
      const row = await this.#db
        .selectFrom('versions')
        .selectAll()
        .where('model', '=', model)
        .where('manifest_key', '=', manifestKey)
        .executeTakeFirst();
      return row ? toVersion(row, await this.#aliasesOf(this.#db, model, Number(row.version))) : null;
    });
  }

  async resolveAlias(model: string, alias: string): Promise<number | null> {
    return this.#read('resolve alias', async () => {
      const row = await this.#db
        .selectFrom('aliases')
        .select('version')
        .where('model', '=', model)
        .where('alias', '=', alias)
        .executeTakeFirst();
      return row ? Number(row.version) : null;
    });
  }

  async setAlias(model: string, alias: string, version: number, actor: AliasActor): Promise<void> {
    checkAlias(alias);
    checkVersion(version);
    checkText('who', actor.who);
    await this.#write('set alias', this.#batcher, async (trx) => {
      const exists = await trx
        .selectFrom('versions')
        .select('version')
        .where('model', '=', model)
        .where('version', '=', version)
        .executeTakeFirst();
      if (!exists) throw notFound(`model "${model}" has no version ${version}`);
      await this.#lockModel(trx, model);
      await this.#moveAlias(trx, model, alias, version, actor, Date.now());
    });
  }

  async removeAlias(model: string, alias: string, actor: AliasActor): Promise<void> {
    checkText('who', actor.who);
    await this.#write('remove alias', this.#batcher, async (trx) => {
      await this.#lockModel(trx, model);
      const current = await trx
        .selectFrom('aliases')
        .select('version')
        .where('model', '=', model)
        .where('alias', '=', alias)
        .executeTakeFirst();
      if (!current) throw notFound(`model "${model}" has no alias "${alias}"`);
      await trx.deleteFrom('aliases').where('model', '=', model).where('alias', '=', alias).execute();
      await trx
        .insertInto('alias_history')
        .values({
          model,
          alias,
          from_version: Number(current.version),
          to_version: null,
          who: actor.who,
          why: actor.why ?? '',
          at: Date.now(),
        })
        .execute();
    });
  }

  async aliasHistory(model: string, alias?: string): Promise<AliasChange[]> {
    return this.#read('read alias history', async () => {
      let q = this.#db.selectFrom('alias_history').selectAll().where('model', '=', model);
      if (alias !== undefined) q = q.where('alias', '=', alias);
      return (await q.orderBy('id').execute()).map(toAliasChange);
    });
  }

  async listModels(): Promise<ModelRecord[]> {
    return this.#read('list models', async () => {
      const rows = await this.#db
        .selectFrom('models')
        .leftJoin('versions', 'versions.model', 'models.name')
        .select((eb) => ['models.name', 'models.created_at', eb.fn.max('versions.version').as('latest')])
        .groupBy(['models.name', 'models.created_at'])
        .orderBy('models.name')
        .execute();
      return rows.map((r) => ({
        name: r.name,
        createdAt: Number(r.created_at),
        latestVersion: r.latest === null ? null : Number(r.latest),
      }));
    });
  }

  async getModel(name: string): Promise<ModelDetail | null> {
    return this.#read('read model', async () => {
      const model = await this.#db
        .selectFrom('models')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      if (!model) return null;
      const versions = await this.#db
        .selectFrom('versions')
        .selectAll()
        .where('model', '=', name)
        .orderBy('version')
        .execute();
      const aliasRows = await this.#db
        .selectFrom('aliases')
        .select(['alias', 'version'])
        .where('model', '=', name)
        .orderBy('alias')
        .execute();
      const aliases: Record<string, number> = {};
      const byVersion = new Map<number, string[]>();
      for (const a of aliasRows) {
        const v = Number(a.version);
        aliases[a.alias] = v;
        byVersion.set(v, [...(byVersion.get(v) ?? []), a.alias]);
      }
      const records = versions.map((v) => toVersion(v, byVersion.get(Number(v.version)) ?? []));
      return {
        name: model.name,
        createdAt: Number(model.created_at),
        latestVersion: records.length ? (records[records.length - 1]?.version ?? null) : null,
        versions: records,
        aliases,
      };
    });
  }

  async close(): Promise<void> {
    // every write already submitted commits before the pool goes
    await Promise.all([this.#batcher?.flush(), this.#pgEvents?.flush()]);
    await this.#db.destroy();
    await this.#onClose?.();
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  /**
   * Serialises writers of one model's versions and aliases. SQLite needs nothing (every transaction
   * holds the database write lock from BEGIN IMMEDIATE); on a server database this takes a row lock
   * on the model, so "next version number" and the alias history's `fromVersion` are never stale.
   */
  async #lockModel(trx: Db, model: string): Promise<void> {
    if (this.dialect === 'sqlite') return;
    await trx.selectFrom('models').select('name').where('name', '=', model).forUpdate().execute();
  }

  /**
   * Applies `changes` to the step's row and returns it; a step not there yet is inserted instead,
   * pending with `created` on top (the next position in its run). One statement (an upsert) when
   * there are changes; a missing run is NOT_FOUND (the foreign key).
   */
  async #changeStep(
    trx: Db,
    runId: string,
    name: string,
    changes: UpdateObject<Database, 'steps'>,
    created: Partial<StepsTable>,
  ): Promise<Selectable<StepsTable>> {
    const hasChanges = Object.keys(changes).length > 0;
    if (!hasChanges) {
      const existing = await trx
        .selectFrom('steps')
        .selectAll()
        .where('run_id', '=', runId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) return existing;
    }
    const row = {
      run_id: runId,
      name,
      status: 'pending',
      created_at: Date.now(),
      started_at: null,
      finished_at: null,
      attempt: 0,
      logs: '',
      error_code: null,
      error_message: null,
      outputs: null,
      cache_key: null,
      lease_until: null,
      ...created,
    };
    // in the conflict's SET, `steps.<column>` is the existing row's (attempt + 1, logs || text)
    return trx
      .insertInto('steps')
      .values({
        ...row,
        position: (eb) =>
          eb
            .selectFrom('steps')
            .select((e) => e.fn.countAll<number>().as('n'))
            .where('run_id', '=', runId),
      })
      .onConflict((oc) => {
        const target = oc.columns(['run_id', 'name']);
        return hasChanges ? target.doUpdateSet(changes) : target.doNothing();
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(missingRunAs(runId));
  }

  async #aliasesOf(db: Db, model: string, version: number): Promise<string[]> {
    const rows = await db
      .selectFrom('aliases')
      .select('alias')
      .where('model', '=', model)
      .where('version', '=', version)
      .execute();
    return rows.map((r) => r.alias);
  }

  async #moveAlias(
    trx: Db,
    model: string,
    alias: string,
    version: number,
    actor: AliasActor,
    now: number,
  ): Promise<void> {
    const current = await trx
      .selectFrom('aliases')
      .select('version')
      .where('model', '=', model)
      .where('alias', '=', alias)
      .executeTakeFirst();
    const from = current ? Number(current.version) : null;
    if (from === version) return;
    await trx
      .insertInto('aliases')
      .values({ model, alias, version, updated_at: now })
      .onConflict((oc) => oc.columns(['model', 'alias']).doUpdateSet({ version, updated_at: now }))
      .execute();
    await trx
      .insertInto('alias_history')
      .values({
        model,
        alias,
        from_version: from,
        to_version: version,
        who: actor.who,
        why: actor.why ?? '',
        at: now,
      })
      .execute();
  }

  #write<T>(
    what: string,
    batcher: WriteBatcher<Transaction<Database>> | undefined,
    fn: (trx: Transaction<Database>) => Promise<T>,
    retryable = isTransientDbError,
  ): Promise<T> {
    const alone = () => retryTransient(() => this.#db.transaction().execute(fn), retryable);
    return this.#guard(what, () => (batcher ? batcher.submit(fn, alone) : alone()));
  }

  /**
   * A write of one statement (or a read then one statement that stands alone): atomic by itself,
   * so on PostgreSQL it runs without BEGIN and COMMIT around it (a third of the round trips); on
   * SQLite it joins the group commit like every write.
   */
  #writeOne<T>(what: string, fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.#batcher) return this.#write(what, this.#batcher, fn);
    return this.#guard(what, () => retryTransient(() => fn(this.#db)));
  }

  #read<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.#guard(what, () => retryTransient(fn));
  }

  async #guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof MyelinError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `${what} failed in ${this.#description}: ${message}`,
        undefined,
        {
          cause: e,
        },
      );
    }
  }
}

/** The most runs one `listEvents({ cursors })` reads (two parameters each). */
/** The row of a new run, as both `createRun` paths insert it. */
function newRunRow(
  input: NewRun,
  k: Pick<Selectable<RunsTable>, 'id' | 'pipeline' | 'status' | 'trigger'> & { specHash: string },
  now: number,
): Selectable<RunsTable> {
  return {
    id: k.id,
    pipeline: k.pipeline,
    status: k.status,
    trigger: k.trigger,
    spec_hash: k.specHash,
    spec_text: input.specText,
    parent_run_id: input.parentRunId ?? null,
    created_at: now,
    started_at: k.status === 'running' ? now : null,
    finished_at: FINAL_RUN_STATUSES.has(k.status) ? now : null,
    error_code: null,
    error_message: null,
    summary: null,
    spec_file: input.specFile ?? null,
    run_options: toJsonText(input.options ?? null),
  };
}

const MAX_EVENT_CURSORS = 500;

function checkEventCursors(query: ListEventsQuery): EventCursor[] {
  const cursors = query.cursors ?? [];
  if (query.runId !== undefined || query.afterId !== undefined)
    throw new MyelinError('MYELIN_ERR_REGISTRY', 'listEvents takes cursors or runId/afterId, not both');
  if (cursors.length > MAX_EVENT_CURSORS)
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `listEvents reads at most ${MAX_EVENT_CURSORS} cursors at once, got ${cursors.length}`,
    );
  const checked = cursors.map((c, i) => {
    if (typeof c.runId !== 'string' || c.runId === '' || !Number.isInteger(c.afterId) || c.afterId < 0)
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY',
        `listEvents cursors[${i}] needs a run id and a non-negative integer afterId, got ${JSON.stringify(c)}`,
      );
    return { runId: c.runId, afterId: c.afterId };
  });
  // a run named twice reads from its lower cursor (what the `or` of both cursors returns)
  const lowest = new Map<string, number>();
  for (const c of checked) lowest.set(c.runId, Math.min(lowest.get(c.runId) ?? c.afterId, c.afterId));
  return [...lowest].map(([runId, afterId]) => ({ runId, afterId }));
}

/**
 * Turns a foreign-key violation of a write that names a run into NOT_FOUND for that run: the
 * schema's foreign keys check that the run exists, in the write's own statement.
 */
function missingRunAs(runId: string): (e: unknown) => never {
  return (e) => {
    if (isForeignKeyViolation(e)) throw notFound(`run "${runId}" does not exist`);
    throw e;
  };
}

/**
 * The store leaves the check that a step, epoch or event names an existing run to the schema's
 * foreign keys; SQLite enforces them only with `PRAGMA foreign_keys = ON` on the connection.
 */
async function requireSqliteForeignKeys(db: Kysely<Database>, description: string): Promise<void> {
  const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  if (Number(rows[0]?.foreign_keys) !== 1)
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY',
      `${description}: the SQLite connection has foreign keys off; run PRAGMA foreign_keys = ON on it first (openEmbeddedMetadataStore does)`,
    );
}

/** The one row a write's `returning` gives back. */
function oneRow<R>(rows: readonly R[], what: string): R {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what} returned no row`);
  return row;
}

function notFound(detail: string): MyelinError {
  return new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', detail);
}
