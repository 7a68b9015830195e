import { MyelinError } from '@myelin/errors';
import type { MetadataStore } from '../metadata-store.js';
import { backoffDelay } from './backoff-delay.js';
import {
  buildAliasPayload,
  buildRunPayload,
  buildVersionPayload,
  type PayloadContext,
} from './build-mirror-payloads.js';
import { DeliveryDeferred } from './delivery-deferred.js';
import { DeliveryRefused } from './delivery-refused.js';
import { mapBounded } from './map-bounded.js';
import { MlflowClient } from './mlflow-client.js';
import { MlflowDelivery } from './mlflow-delivery.js';
import { MlflowError } from './mlflow-error.js';
import type { MlflowMirrorOptions } from './mlflow-mirror-options.js';
import { MlflowOutbox, type OutboxEntry, type OutboxTargetStats } from './mlflow-outbox.js';
import { aliasEntityId, versionEntityId } from './mirror-payloads.js';

/**
 * What one `flush` did: rows delivered now (and the items MLflow refused inside them), and rows
 * still pending / failed (refused ones included) / refused in this server's whole outbox.
 */
export interface FlushResult {
  delivered: number;
  pending: number;
  failed: number;
  refused: number;
  /** Params, metrics, tags or files MLflow refused inside the rows delivered now (skipped, reported). */
  skipped: number;
}

/** Options of one `flush`. */
export interface FlushOptions {
  /** Only rows queued at or after this time (ISO text, Date or epoch ms). @defaultValue every row */
  since?: string | number | Date;
  /**
   * Try pending rows now even when their next try is later, and failed rows again (not those
   * MLflow refused, see `retryRefused`). @defaultValue false
   */
  force?: boolean;
  /** With `force`, also try rows MLflow refused as a whole. @defaultValue false */
  retryRefused?: boolean;
}

/** The mirror's lag, read from the outbox alone (it never contacts MLflow). */
export interface MirrorStatus {
  /** The tracking server this mirror delivers to. */
  uri: string;
  pending: number;
  /** Failed rows, refused ones included. */
  failed: number;
  /** Rows MLflow refused as a whole: trying again changes nothing (`sync --retry-refused` does anyway). */
  refused: number;
  delivered: number;
  /** Delivered rows in which MLflow refused some items (listed in the run's `myelin.mirror.skipped` tag). */
  deliveredWithSkips: number;
  /** Age of the oldest undelivered pending row in ms, or null when nothing is pending. */
  oldestPendingAgeMs: number | null;
  /** Things delivered or queued for another server that this one has no row for yet (the next flush queues them). */
  notYetQueued: number;
  /** Rows by tracking server: which servers this store has mirrored to. */
  servers: OutboxTargetStats[];
  /** The latest delivery or hook error, if any. */
  lastError?: string;
}

/** What `backfill` queued. */
export interface BackfillResult {
  runs: number;
  versions: number;
  aliases: number;
}

const ROUND = 100;

/**
 * Creates the MLflow mirror of a metadata store. Myelin's registry stays the source of truth;
 * the mirror copies runs, versions and alias moves into MLflow through an outbox in the same
 * database, so MLflow being down never blocks or fails a run.
 *
 * @example
 * const mirror = createMlflowMirror({ uri: process.env.MYELIN_MLFLOW_URI!, meta, store });
 * await mirror.onRunFinished(runId);           // never throws; delivery happens in the background
 * console.log(await mirror.status());          // { pending, oldestPendingAgeMs, … }
 * await mirror.close();
 */
export function createMlflowMirror(options: MlflowMirrorOptions): MlflowMirror {
  return new MlflowMirror(options);
}

/** See `createMlflowMirror`. */
export class MlflowMirror {
  readonly uri: string;
  readonly outbox: MlflowOutbox;
  readonly client: MlflowClient;
  readonly #meta: MetadataStore;
  readonly #ctx: PayloadContext;
  readonly #delivery: MlflowDelivery;
  readonly #opts: Required<
    Pick<
      MlflowMirrorOptions,
      'concurrency' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'leaseMs' | 'backgroundFlush'
    >
  >;
  readonly #onError: ((e: unknown) => void) | undefined;
  #lastError: string | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #closed = false;
  #prepared: Promise<void> | undefined;
  /** Set while a flush has seen MLflow not answer: the rest of that flush is put back untried. */
  #unanswered: string | undefined;

  constructor(options: MlflowMirrorOptions) {
    this.client =
      options.client ??
      new MlflowClient({ uri: options.uri, ...(options.token ? { token: options.token } : {}) });
    this.uri = this.client.uri;
    this.#meta = options.meta;
    this.outbox = options.outbox ?? MlflowOutbox.forStore(options.meta, this.uri);
    this.#ctx = {
      meta: options.meta,
      store: options.store,
      resolveSpec: options.resolveSpec,
      codeVersion: options.codeVersion,
    };
    this.#delivery = new MlflowDelivery({
      client: this.client,
      outbox: this.outbox,
      store: options.store,
      uploadArtifacts: options.uploadArtifacts ?? true,
    });
    this.#opts = {
      concurrency: Math.max(1, options.concurrency ?? 4),
      maxAttempts: Math.max(1, options.maxAttempts ?? 12),
      retryBaseMs: options.retryBaseMs ?? 1000,
      retryMaxMs: options.retryMaxMs ?? 300_000,
      leaseMs: options.leaseMs ?? 120_000,
      backgroundFlush: options.backgroundFlush ?? true,
    };
    this.#onError = options.onError;
  }

  // ── hooks: write to the outbox, kick a background flush, never throw ─────────────────────

  /** Queues a finished run (after its final `updateRun`). A run that has not ended is skipped. */
  async onRunFinished(runId: string): Promise<void> {
    await this.#hook(`run ${runId}`, async () => {
      if (await this.outbox.stateOf('run', runId)) return;
      const payload = await buildRunPayload(this.#ctx, runId);
      if (payload) await this.outbox.enqueue('run', runId, payload);
    });
  }

  /** Queues a registered version (after `registerVersion`), and the aliases registration pointed at it. */
  async onVersionRegistered(model: string, version: number): Promise<void> {
    await this.#hook(`${model}@${version}`, async () => {
      const entity = versionEntityId(model, version);
      if (!(await this.outbox.stateOf('version', entity))) {
        await this.outbox.enqueue('version', entity, await buildVersionPayload(this.#ctx, model, version));
      }
      const v = await this.#meta.getVersion(model, version);
      for (const alias of v?.aliases ?? []) await this.#queueAlias(model, alias, version);
    });
  }

  /** Queues an alias move (after `setAlias`; `version` null after `removeAlias`). */
  async onAliasMoved(model: string, alias: string, version: number | null): Promise<void> {
    await this.#hook(`${model}:${alias}`, async () => {
      await this.#queueAlias(model, alias, version);
    });
  }

  // ── delivery ─────────────────────────────────────────────────────────────────────────────

  /**
   * Delivers due rows (all pending and failed rows with `force`), runs first, then versions, then
   * alias moves, at most `concurrency` at a time. A row that fails is tried again later with
   * exponential back-off, and marked failed after `maxAttempts` tries or when MLflow refuses it
   * (a 4xx other than 429). Never throws for a delivery failure; calls are serialised.
   */
  flush(options: FlushOptions = {}): Promise<FlushResult> {
    const run = this.#chain.then(() => this.#flush(options));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Queues what the outbox lacks (runs that ended, versions, current aliases), created at or
   * after `since`: for stores that existed before the mirror, or rows lost with an old database.
   */
  async backfill(options: { since?: string | number | Date } = {}): Promise<BackfillResult> {
    const since = toMs(options.since);
    await this.#prepare();
    const out: BackfillResult = { runs: 0, versions: 0, aliases: 0 };
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<MetadataStore['listRuns']>> = await this.#meta.listRuns({
        limit: 500,
        status: ['succeeded', 'failed', 'cancelled'],
        cursor,
      });
      for (const run of page.runs) {
        if (since !== undefined && run.createdAt < since) continue;
        if (await this.outbox.stateOf('run', run.id)) continue;
        const payload = await buildRunPayload(this.#ctx, run.id);
        if (payload && (await this.outbox.enqueue('run', run.id, payload))) out.runs++;
      }
      cursor = page.nextCursor;
    } while (cursor);
    for (const m of await this.#meta.listModels()) {
      const detail = await this.#meta.getModel(m.name);
      for (const v of detail?.versions ?? []) {
        if (since !== undefined && v.createdAt < since) continue;
        const entity = versionEntityId(v.model, v.version);
        if (await this.outbox.stateOf('version', entity)) continue;
        if (
          await this.outbox.enqueue(
            'version',
            entity,
            await buildVersionPayload(this.#ctx, v.model, v.version),
          )
        )
          out.versions++;
      }
      for (const [alias, version] of Object.entries(detail?.aliases ?? {})) {
        if (await this.#queueAlias(m.name, alias, version, since)) out.aliases++;
      }
    }
    return out;
  }

  /**
   * The mirror's lag: rows waiting, failed and refused, the oldest one's age, the servers mirrored
   * to, the latest error. Reads the outbox only: it never contacts MLflow, so it answers at once
   * whether MLflow is up, down or hung.
   */
  async status(): Promise<MirrorStatus> {
    const s = await this.outbox.stats();
    const servers = await this.outbox.targets();
    const untargeted = servers.find((t) => t.target === '');
    const mine = servers.some((t) => t.target === this.uri);
    const lastError = this.#lastError ?? s.lastError ?? undefined;
    // rows from before the outbox knew its server count as this server's until one is adopted
    const legacy = !mine && untargeted ? untargeted : undefined;
    return {
      uri: this.uri,
      pending: s.pending + (legacy?.pending ?? 0),
      failed: s.failed + (legacy?.failed ?? 0),
      refused: s.refused,
      delivered: s.delivered + (legacy?.delivered ?? 0),
      deliveredWithSkips: s.deliveredWithSkips,
      oldestPendingAgeMs: s.oldestPendingAt === null ? null : Math.max(0, Date.now() - s.oldestPendingAt),
      notYetQueued: await this.outbox.notCopied(),
      servers: servers.filter((t) => t.target !== ''),
      ...(lastError ? { lastError } : {}),
    };
  }

  /** Stops background flushes and waits for the one in progress. Does not close the metadata store. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    await this.#chain;
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  async #hook(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      this.#kick(0);
    } catch (e) {
      this.#fail(`cannot queue ${what} for MLflow: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }

  /** Queues the alias's latest move to `version` unless queued; true when queued now. */
  async #queueAlias(model: string, alias: string, version: number | null, since?: number): Promise<boolean> {
    const history = await this.#meta.aliasHistory(model, alias);
    const last = history[history.length - 1];
    const move = last && last.toVersion === version ? last : undefined;
    if (since !== undefined && move && move.at < since) return false;
    const entity = aliasEntityId(model, alias, move ? move.id : `v${version ?? 'none'}`);
    if (await this.outbox.stateOf('alias', entity)) return false;
    return this.outbox.enqueue('alias', entity, await buildAliasPayload(this.#ctx, model, alias, version));
  }

  /** Once per mirror: adopt rows from before the outbox knew its server, queue what another server has. */
  #prepare(): Promise<void> {
    this.#prepared ??= (async () => {
      await this.outbox.adoptUntargeted();
      await this.outbox.copyFromOtherTargets();
    })().catch((e: unknown) => {
      this.#prepared = undefined;
      throw e;
    });
    return this.#prepared;
  }

  async #flush(options: FlushOptions): Promise<FlushResult> {
    const since = toMs(options.since);
    let delivered = 0;
    let skipped = 0;
    this.#unanswered = undefined;
    await this.#prepare();
    if (options.force)
      await this.outbox.requeueFailed({
        ...(since === undefined ? {} : { since }),
        ...(options.retryRefused ? { refused: true } : {}),
      });
    let afterId = 0;
    for (;;) {
      const rows = await this.outbox.claim({
        limit: ROUND,
        leaseMs: this.#opts.leaseMs,
        afterId,
        ...(since === undefined ? {} : { since }),
        ...(options.force ? { ignoreSchedule: true } : {}),
      });
      if (rows.length === 0) break;
      afterId = Math.max(...rows.map((r) => r.id));
      for (const kind of ['run', 'version', 'alias'] as const) {
        const group = rows.filter((r) => r.kind === kind);
        // alias moves one at a time, in order: a later move must land last
        await mapBounded(group, kind === 'alias' ? 1 : this.#opts.concurrency, async (row) => {
          const n = await this.#deliverOne(row);
          if (n !== null) {
            delivered++;
            skipped += n;
          }
        });
      }
      if (rows.length < ROUND || this.#unanswered) break;
    }
    const s = await this.outbox.stats();
    if (!this.#closed && this.#opts.backgroundFlush) {
      const due = await this.outbox.nextDueAt().catch(() => null);
      if (due !== null) this.#kick(Math.max(0, due - Date.now()));
    }
    return { delivered, pending: s.pending, failed: s.failed, refused: s.refused, skipped };
  }

  /**
   * Delivers one claimed row and records the outcome: the number of items MLflow refused inside
   * it when it is delivered now, else null. Once MLflow has not answered one request in this
   * flush, the remaining rows are put back untried (a down or hung server costs one timeout per
   * flush, not one per row).
   */
  async #deliverOne(row: OutboxEntry): Promise<number | null> {
    if (this.#unanswered) {
      await this.outbox
        .markDeferred(row.id, this.#unanswered, Date.now() + this.#opts.retryBaseMs)
        .catch((e: unknown) => this.#fail(`cannot put back ${row.kind} ${row.entityId}`, e));
      return null;
    }
    try {
      const { outcome, skipped } = await this.#delivery.deliver(row);
      const note =
        outcome === 'superseded'
          ? 'superseded by a later move'
          : skipped.length
            ? `delivered; skipped ${skipped.length} item(s) MLflow refused: ${skipped
                .slice(0, 5)
                .map((x) => `${x.kind} "${x.key}" (${x.reason})`)
                .join('; ')}${skipped.length > 5 ? '; …' : ''}`
            : null;
      await this.outbox.markDelivered(row.id, note, skipped);
      this.#lastError = undefined;
      return skipped.length;
    } catch (e) {
      const message = `${row.kind} ${row.entityId}: ${e instanceof Error ? e.message : String(e)}`;
      try {
        if (e instanceof DeliveryDeferred) {
          await this.outbox.markDeferred(row.id, message, Date.now() + this.#opts.retryBaseMs);
          return null;
        }
        this.#lastError = message;
        this.#onError?.(e);
        if (e instanceof MlflowError && e.status === 0) this.#unanswered = `not tried: ${message}`;
        // MLflow refused it (4xx): trying again changes nothing; the rest of the outbox goes on
        const refused = e instanceof DeliveryRefused || (e instanceof MlflowError && !e.retryable);
        // the mirror cannot deliver it now (a version it needs failed): `sync` tries it again
        const given =
          !refused &&
          e instanceof MyelinError &&
          e.code === 'MYELIN_ERR_MLFLOW' &&
          !(e instanceof MlflowError);
        if (refused || given || row.attempts >= this.#opts.maxAttempts)
          await this.outbox.markFailed(row.id, message, { refused });
        else
          await this.outbox.markRetry(
            row.id,
            message,
            Date.now() + backoffDelay(row.attempts, this.#opts.retryBaseMs, this.#opts.retryMaxMs),
          );
      } catch (bookkeeping) {
        // the lease runs out and another flush takes the row again
        this.#fail(`cannot record the outcome of ${message}`, bookkeeping);
      }
      return null;
    }
  }

  #kick(delayMs: number): void {
    if (this.#closed || !this.#opts.backgroundFlush) return;
    const at = Date.now() + delayMs;
    if (this.#timer && this.#timerAt <= at) return;
    this.#clearTimer();
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.flush().catch((e: unknown) =>
        this.#fail(`MLflow mirror flush failed: ${(e as Error).message}`, e),
      );
    }, delayMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #fail(message: string, e: unknown): void {
    this.#lastError = message;
    try {
      this.#onError?.(e);
    } catch {
      // an onError that throws must not reach the caller either
    }
  }
}

function toMs(since: string | number | Date | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = since instanceof Date ? since.getTime() : typeof since === 'number' ? since : Date.parse(since);
  if (!Number.isFinite(ms)) {
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `"${String(since)}" is not a time; use ISO 8601, e.g. 2026-01-31T12:00:00Z`,
    );
  }
  return ms;
}
