import { MyelinError } from '@myelin/errors';
import { DeliveryDeferred } from './delivery-deferred.js';
import { DeliveryRefused } from './delivery-refused.js';
import { planBatches, type LogBatch } from './mlflow-batches.js';
import { isUnknownAlias, type MlflowClient } from './mlflow-client.js';
import { MLFLOW_INVALID_PARAMETER, MlflowError } from './mlflow-error.js';
import type { MlflowArtifactSource } from './mlflow-artifact-source.js';
import { MlflowKeyMap } from './mlflow-key-map.js';
import { MLFLOW_LIMITS } from './mlflow-limits.js';
import { cutText, mlflowAliasProblem } from './mlflow-names.js';
import type { MlflowOutbox, OutboxEntry, SkippedItem } from './mlflow-outbox.js';
import { tagValue, type MlflowRun, type MlflowTag } from './mlflow-types.js';
import { modelFilesOf, type ModelFile } from './model-files.js';
import {
  aliasEntityPrefix,
  MYELIN_TAGS,
  versionEntityId,
  type AliasPayload,
  type RunPayload,
  type TrialPayload,
  type VersionPayload,
} from './mirror-payloads.js';

/** What one delivery did: `superseded` when an alias move was overtaken by a later one. */
export type DeliveryOutcome = 'delivered' | 'superseded';

/** The outcome of one delivery and what MLflow refused inside it (the rest was delivered). */
export interface DeliveryResult {
  outcome: DeliveryOutcome;
  skipped: SkippedItem[];
}

/** The folder of a run's artifacts that holds a registered version's files (the version's `source`). */
export const MODEL_ARTIFACT_FOLDER = 'model';

type BatchItem =
  | { kind: 'param'; item: LogBatch['params'][number] }
  | { kind: 'metric'; item: LogBatch['metrics'][number] }
  | { kind: 'tag'; item: LogBatch['tags'][number] };

/**
 * Delivers one outbox row to MLflow, idempotently: every step first looks for what an earlier,
 * interrupted try may have created (the MLflow run by its `myelin.run_id` tag, the model version by
 * its `myelin.manifest` tag, the log-batch requests already applied by the run's
 * `myelin.mirror.batches` tag, written in the same request as each batch), so a row delivered
 * twice — a crash after MLflow answered and before the outbox was updated — changes nothing twice.
 *
 * Names go into MLflow's alphabet through `MlflowKeyMap` (recorded in `myelin.keymap` tags) and
 * values are cut to MLflow's lengths, so MLflow has nothing to refuse. Should it still refuse a
 * log-batch (400 `INVALID_PARAMETER_VALUE`: a rule of a newer MLflow, a param logged before with
 * another value), the batch is split in halves until the refused items are found; those are
 * skipped, listed in the run's `myelin.mirror.skipped` tag and returned, and the rest is delivered.
 */
export class MlflowDelivery {
  readonly #client: MlflowClient;
  readonly #outbox: MlflowOutbox;
  readonly #store: MlflowArtifactSource | undefined;
  readonly #uploadArtifacts: boolean;
  readonly #experiments = new Map<string, string>();

  constructor(opts: {
    client: MlflowClient;
    outbox: MlflowOutbox;
    store?: MlflowArtifactSource | undefined;
    uploadArtifacts?: boolean;
  }) {
    this.#client = opts.client;
    this.#outbox = opts.outbox;
    this.#store = opts.store;
    this.#uploadArtifacts = opts.uploadArtifacts ?? true;
  }

  /** Delivers the row's payload; throws `MlflowError`, `DeliveryDeferred`, `DeliveryRefused` or a store error. */
  async deliver(entry: OutboxEntry): Promise<DeliveryResult> {
    switch (entry.kind) {
      case 'run':
        return { outcome: 'delivered', skipped: await this.deliverRun(entry.payload as RunPayload) };
      case 'version':
        return { outcome: 'delivered', skipped: await this.deliverVersion(entry.payload as VersionPayload) };
      case 'alias':
        return { outcome: await this.deliverAlias(entry, entry.payload as AliasPayload), skipped: [] };
      default:
        throw new MyelinError('MYELIN_ERR_MLFLOW', `unknown outbox kind ${JSON.stringify(entry.kind)}`);
    }
  }

  /** Experiment (created on first use) → run (found by tag or created) → batches → artifacts → status. */
  async deliverRun(p: RunPayload): Promise<SkippedItem[]> {
    const keys = new MlflowKeyMap([
      ...p.tags.map((t) => t.key),
      ...p.params.map((x) => x.key),
      ...p.metrics.map((x) => x.key),
    ]);
    const experimentId = await this.#experiment(cutText(p.experiment, MLFLOW_LIMITS.experimentName));
    let run = await this.#client.findRunByTag(experimentId, MYELIN_TAGS.runId, p.runId);
    if (!run) {
      run = await this.#client.createRun({
        experimentId,
        runName: p.runId,
        startTime: p.startTime,
        tags: p.tags.map((t) => ({ key: keys.key(t.key), value: cutText(t.value, MLFLOW_LIMITS.tagValue) })),
      });
    }
    const runId = run.info.run_id;
    const batches = planBatches(
      {
        params: p.params.map((x) => ({
          key: keys.key(x.key),
          value: cutText(x.value, MLFLOW_LIMITS.paramValue),
        })),
        metrics: p.metrics.map((m) => ({ ...m, key: keys.key(m.key) })),
        tags: keys.tags(),
      },
      { tags: 2, bytes: MLFLOW_LIMITS.tagValue * 2 + 1000 }, // progress + skipped tags
    );
    const done = Number(tagValue(run.data?.tags, MYELIN_TAGS.batches) ?? 0) || 0;
    const skipped = readSkipped(tagValue(run.data?.tags, MYELIN_TAGS.skipped));
    for (let i = done; i < batches.length; i++) {
      await this.#logBatchSkippingRefused(runId, batches[i]!, skipped, {
        key: MYELIN_TAGS.batches,
        value: String(i + 1),
      });
    }
    if (this.#uploadArtifacts && this.#store) {
      for (const a of p.artifacts) {
        const bytes = await this.#store.getBytes(a.key);
        const sent = await this.#client.uploadArtifact(
          run.info.artifact_uri,
          a.path,
          bytes,
          contentTypeOf(a.path),
        );
        if (!sent) break; // the server does not proxy artifacts: nothing to upload to
      }
    }
    for (const t of p.trials ?? []) await this.#deliverTrial(experimentId, runId, p, t, skipped);
    await this.#client.updateRun({ runId, status: p.status, endTime: p.endTime });
    return skipped;
  }

  /**
   * One tune trial as a child run (`mlflow.parentRunId`) in the parent's experiment, found again by
   * its `myelin.trial_of` tag (`<run id>#<index>`), so a retried delivery creates it once.
   */
  async #deliverTrial(
    experimentId: string,
    parentId: string,
    p: RunPayload,
    t: TrialPayload,
    skipped: SkippedItem[],
  ): Promise<void> {
    const id = `${p.runId}#${t.index}`;
    const keys = new MlflowKeyMap([
      ...t.tags.map((x) => x.key),
      ...t.params.map((x) => x.key),
      ...t.metrics.map((x) => x.key),
    ]);
    let run = await this.#client.findRunByTag(experimentId, MYELIN_TAGS.trial, id);
    if (!run) {
      run = await this.#client.createRun({
        experimentId,
        runName: `${p.runId}-trial-${t.index + 1}`,
        startTime: p.startTime,
        tags: [
          { key: MYELIN_TAGS.trial, value: id },
          { key: 'mlflow.parentRunId', value: parentId },
          ...t.tags.map((x) => ({ key: keys.key(x.key), value: cutText(x.value, MLFLOW_LIMITS.tagValue) })),
        ],
      });
    }
    const runId = run.info.run_id;
    const batches = planBatches(
      {
        params: t.params.map((x) => ({
          key: keys.key(x.key),
          value: cutText(x.value, MLFLOW_LIMITS.paramValue),
        })),
        metrics: t.metrics.map((m) => ({ ...m, key: keys.key(m.key) })),
        tags: keys.tags(),
      },
      { tags: 2, bytes: MLFLOW_LIMITS.tagValue * 2 + 1000 },
    );
    const done = Number(tagValue(run.data?.tags, MYELIN_TAGS.batches) ?? 0) || 0;
    for (let i = done; i < batches.length; i++) {
      await this.#logBatchSkippingRefused(runId, batches[i]!, skipped, {
        key: MYELIN_TAGS.batches,
        value: String(i + 1),
      });
    }
    await this.#client.updateRun({ runId, status: t.status, endTime: p.endTime });
  }

  /**
   * Registered model (created on first use) → model version found by `myelin.manifest`, or: the
   * version's files (every file of its manifest, and the manifest) uploaded to `model/` of the
   * MLflow run's artifacts, then the version created with that folder as its `source`.
   */
  async deliverVersion(p: VersionPayload): Promise<SkippedItem[]> {
    await this.#client.ensureRegisteredModel({
      name: p.model,
      description: 'Mirrored from the Myelin registry (the source of truth for serving).',
      tags: [{ key: 'myelin.mirrored', value: 'true' }],
    });
    if (await this.#client.findModelVersionByTag(p.model, MYELIN_TAGS.manifest, p.manifestKey)) return [];
    const run = await this.#mlflowRun(p.runId, p.experiment);
    const skipped: SkippedItem[] = [];
    const uploaded = run ? await this.#uploadModelFiles(run, p.manifestKey, skipped) : false;
    const keys = new MlflowKeyMap(p.tags.map((t) => t.key));
    const tags: MlflowTag[] = [
      ...p.tags.map((t) => ({ key: keys.key(t.key), value: cutText(t.value, MLFLOW_LIMITS.tagValue) })),
      ...keys.tags(),
    ];
    await this.#client.createModelVersion({
      name: p.model,
      source: versionSource(p.location, run, `myelin:${p.model}@${p.version}`, uploaded),
      ...(run ? { runId: run.info.run_id } : {}),
      tags,
      description: p.description,
    });
    return skipped;
  }

  /** Sets (or deletes) the alias on the MLflow version mirrored from the Myelin version. */
  async deliverAlias(entry: OutboxEntry, p: AliasPayload): Promise<DeliveryOutcome> {
    const later = await this.#outbox.laterEntities('alias', aliasEntityPrefix(p.model, p.alias), entry.id);
    if (later.length > 0) return 'superseded';
    const problem = mlflowAliasProblem(p.alias);
    if (problem) throw new DeliveryRefused(`MLflow cannot hold the alias ${p.model}:${p.alias}: ${problem}`);
    if (p.version === null || p.manifestKey === null) {
      try {
        await this.#client.deleteAlias(p.model, p.alias);
      } catch (e) {
        if (!(e instanceof MlflowError && (e.doesNotExist || isUnknownAlias(e)))) throw e;
      }
      return 'delivered';
    }
    const mv = await this.#client.findModelVersionByTag(p.model, MYELIN_TAGS.manifest, p.manifestKey);
    if (!mv) {
      const state = await this.#outbox.stateOf('version', versionEntityId(p.model, p.version));
      if (state === 'pending') throw new DeliveryDeferred(`waits for ${p.model}@${p.version} to be mirrored`);
      throw new MyelinError(
        'MYELIN_ERR_MLFLOW',
        `cannot move alias ${p.model}:${p.alias}: version ${p.version} is not in MLflow (its mirror is ${state ?? 'not queued'}); run \`myelin mlflow sync\``,
      );
    }
    await this.#client.setAlias(p.model, p.alias, mv.version);
    return 'delivered';
  }

  /**
   * Sends one planned batch with the progress tag. When MLflow refuses it for its content, the
   * items are sent in halves until the refused ones are isolated and skipped; then the progress
   * (and the updated skipped list) is recorded on its own. A batch whose every item is refused one
   * by one is refused for another reason (the run, not its data): that error is thrown.
   */
  async #logBatchSkippingRefused(
    runId: string,
    batch: LogBatch,
    skipped: SkippedItem[],
    progress: MlflowTag,
  ): Promise<void> {
    try {
      await this.#client.logBatch({ runId, ...batch, tags: [...batch.tags, progress] });
      return;
    } catch (e) {
      if (!refusedForContent(e)) throw e;
      const items: BatchItem[] = [
        ...batch.params.map((item): BatchItem => ({ kind: 'param', item })),
        ...batch.metrics.map((item): BatchItem => ({ kind: 'metric', item })),
        ...batch.tags.map((item): BatchItem => ({ kind: 'tag', item })),
      ];
      const found: SkippedItem[] = [];
      await this.#isolate(runId, items, found);
      if (items.length > 1 && found.length === items.length) throw e;
      skipped.push(...found);
    }
    await this.#client.logBatch({
      runId,
      tags: [progress, { key: MYELIN_TAGS.skipped, value: writeSkipped(skipped) }],
    });
  }

  async #isolate(runId: string, items: BatchItem[], found: SkippedItem[]): Promise<void> {
    if (items.length === 0) return;
    if (items.length === 1) {
      const [only] = items as [BatchItem];
      try {
        await this.#client.logBatch({ runId, ...toBatch(items) });
      } catch (e) {
        if (!refusedForContent(e)) throw e;
        found.push({ kind: only.kind, key: only.item.key, reason: cutText(e.mlflowMessage, 300) });
      }
      return;
    }
    const half = Math.ceil(items.length / 2);
    for (const part of [items.slice(0, half), items.slice(half)]) {
      try {
        await this.#client.logBatch({ runId, ...toBatch(part) });
      } catch (e) {
        if (!refusedForContent(e)) throw e;
        await this.#isolate(runId, part, found);
      }
    }
  }

  /**
   * Uploads every file of the version's manifest, and the manifest, to `model/` of the run's
   * artifacts; false when there is nothing to upload to (no artifact store, uploads off, or a
   * server that does not proxy artifacts).
   */
  async #uploadModelFiles(run: MlflowRun, manifestKey: string, skipped: SkippedItem[]): Promise<boolean> {
    if (!this.#uploadArtifacts || !this.#store) return false;
    const manifest = await this.#store.getBytes(manifestKey);
    const files: ModelFile[] = [{ name: 'manifest.json', key: manifestKey }];
    for (const f of modelFilesOf(manifest)) {
      if (f.name === 'manifest.json' || !/^[\w.-]+$/.test(f.name) || f.name.startsWith('.')) {
        skipped.push({ kind: 'artifact', key: f.name, reason: 'not a plain file name; not uploaded' });
      } else files.push(f);
    }
    for (const f of files) {
      const bytes = f.key === manifestKey ? manifest : await this.#store.getBytes(f.key);
      const sent = await this.#client.uploadArtifact(
        run.info.artifact_uri,
        `${MODEL_ARTIFACT_FOLDER}/${f.name}`,
        bytes,
        contentTypeOf(f.name),
      );
      if (!sent) return false;
    }
    return true;
  }

  async #experiment(name: string): Promise<string> {
    const cached = this.#experiments.get(name);
    if (cached) return cached;
    const id = await this.#client.ensureExperiment(name);
    this.#experiments.set(name, id);
    return id;
  }

  /** The MLflow run mirrored from a Myelin run, or null; defers while that run is still queued. */
  async #mlflowRun(runId: string, experiment: string | null): Promise<MlflowRun | null> {
    if (experiment) {
      const name = cutText(experiment, MLFLOW_LIMITS.experimentName);
      const exp =
        this.#experiments.get(name) ?? (await this.#client.getExperimentByName(name))?.experiment_id;
      if (exp) {
        const run = await this.#client.findRunByTag(exp, MYELIN_TAGS.runId, runId);
        if (run) return run;
      }
    }
    if ((await this.#outbox.stateOf('run', runId)) === 'pending') {
      throw new DeliveryDeferred(`waits for run ${runId} to be mirrored`);
    }
    return null;
  }
}

/** Whether MLflow refused a request for what it held (400 `INVALID_PARAMETER_VALUE`). */
function refusedForContent(e: unknown): e is MlflowError {
  return e instanceof MlflowError && e.status === 400 && e.errorCode === MLFLOW_INVALID_PARAMETER;
}

function toBatch(items: BatchItem[]): LogBatch {
  const b: LogBatch = { params: [], metrics: [], tags: [] };
  for (const x of items) {
    if (x.kind === 'param') b.params.push(x.item);
    else if (x.kind === 'metric') b.metrics.push(x.item);
    else b.tags.push(x.item);
  }
  return b;
}

/** The `myelin.mirror.skipped` tag value: a JSON list, cut (whole entries, then a count) to fit a tag. */
function writeSkipped(items: SkippedItem[]): string {
  const kept: unknown[] = [];
  let length = 2;
  for (const [i, item] of items.entries()) {
    const text = JSON.stringify(item);
    if (length + text.length + 1 > MLFLOW_LIMITS.tagValue - 40) {
      kept.push({ more: items.length - i });
      break;
    }
    kept.push(item);
    length += text.length + 1;
  }
  return JSON.stringify(kept);
}

function readSkipped(value: string | undefined): SkippedItem[] {
  if (!value) return [];
  try {
    const list = JSON.parse(value) as unknown;
    return Array.isArray(list)
      ? list.filter((x): x is SkippedItem => typeof x === 'object' && x !== null && 'key' in x)
      : [];
  } catch {
    return [];
  }
}

function contentTypeOf(path: string): string {
  return path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
}

/**
 * The `source` of a mirrored model version: `<run artifact root>/model` when the version's files
 * were uploaded there; else the artifact store's own URI when it is remote (`s3://…`); else, when
 * the Myelin run is mirrored, `<run artifact root>/model` (MLflow ≥ 2.9 refuses a local `file://`
 * source outside the run's artifact folder); else `fallback` (`myelin:<model>@<version>`).
 */
export function versionSource(
  location: string | null,
  run: MlflowRun | null,
  fallback: string,
  uploaded = false,
): string {
  const folder = run?.info.artifact_uri
    ? `${run.info.artifact_uri.replace(/\/+$/, '')}/${MODEL_ARTIFACT_FOLDER}`
    : null;
  if (uploaded && folder) return folder;
  if (location && !location.startsWith('file:')) return location;
  return folder ?? fallback;
}
