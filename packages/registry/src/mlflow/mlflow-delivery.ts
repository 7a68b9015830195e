import { MyelinError } from '@myelin/errors';
import { chunk } from './chunk.js';
import { DeliveryDeferred } from './delivery-deferred.js';
import { isUnknownAlias, type MlflowClient } from './mlflow-client.js';
import { MlflowError } from './mlflow-error.js';
import type { MlflowArtifactSource } from './mlflow-artifact-source.js';
import type { MlflowOutbox, OutboxEntry } from './mlflow-outbox.js';
import { tagValue, type MlflowMetric, type MlflowParam, type MlflowRun } from './mlflow-types.js';
import {
  aliasEntityPrefix,
  MYELIN_TAGS,
  versionEntityId,
  type AliasPayload,
  type RunPayload,
  type VersionPayload,
} from './mirror-payloads.js';

/** MLflow's log-batch limit on params per request. */
export const MLFLOW_MAX_PARAMS_PER_BATCH = 100;
/** Metrics per log-batch request (MLflow allows 1000 entries in all; one slot is the progress tag). */
export const MLFLOW_METRICS_PER_BATCH = 900;

/** What one delivery did: `superseded` when an alias move was overtaken by a later one. */
export type DeliveryOutcome = 'delivered' | 'superseded';

/**
 * Delivers one outbox row to MLflow, idempotently: every step first looks for what an earlier,
 * interrupted try may have created (the MLflow run by its `myelin.run_id` tag, the model version by
 * its `myelin.manifest` tag, the log-batch requests already applied by the run's
 * `myelin.mirror.batches` tag, written in the same request as each batch), so a row delivered
 * twice — a crash after MLflow answered and before the outbox was updated — changes nothing twice.
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

  /** Delivers the row's payload; throws `MlflowError`, `DeliveryDeferred` or a store error. */
  async deliver(entry: OutboxEntry): Promise<DeliveryOutcome> {
    switch (entry.kind) {
      case 'run':
        await this.deliverRun(entry.payload as RunPayload);
        return 'delivered';
      case 'version':
        await this.deliverVersion(entry.payload as VersionPayload);
        return 'delivered';
      case 'alias':
        return this.deliverAlias(entry, entry.payload as AliasPayload);
      default:
        throw new MyelinError('MYELIN_ERR_MLFLOW', `unknown outbox kind ${JSON.stringify(entry.kind)}`);
    }
  }

  /** Experiment (created on first use) → run (found by tag or created) → batches → artifacts → status. */
  async deliverRun(p: RunPayload): Promise<void> {
    const experimentId = await this.#experiment(p.experiment);
    let run = await this.#client.findRunByTag(experimentId, MYELIN_TAGS.runId, p.runId);
    if (!run) {
      run = await this.#client.createRun({
        experimentId,
        runName: p.runId,
        startTime: p.startTime,
        tags: p.tags,
      });
    }
    const runId = run.info.run_id;
    const batches = runBatches(p);
    const done = Number(tagValue(run.data?.tags, MYELIN_TAGS.batches) ?? 0) || 0;
    for (let i = done; i < batches.length; i++) {
      const b = batches[i]!;
      await this.#client.logBatch({
        runId,
        ...b,
        tags: [{ key: MYELIN_TAGS.batches, value: String(i + 1) }],
      });
    }
    if (this.#uploadArtifacts && this.#store) {
      for (const a of p.artifacts) {
        const bytes = await this.#store.getBytes(a.key);
        const sent = await this.#client.uploadArtifact(
          run.info.artifact_uri,
          a.path,
          bytes,
          'application/json',
        );
        if (!sent) break; // the server does not proxy artifacts: nothing to upload to
      }
    }
    await this.#client.updateRun({ runId, status: p.status, endTime: p.endTime });
  }

  /** Registered model (created on first use) → model version found by `myelin.manifest` or created. */
  async deliverVersion(p: VersionPayload): Promise<void> {
    await this.#client.ensureRegisteredModel({
      name: p.model,
      description: 'Mirrored from the Myelin registry (the source of truth for serving).',
      tags: [{ key: 'myelin.mirrored', value: 'true' }],
    });
    if (await this.#client.findModelVersionByTag(p.model, MYELIN_TAGS.manifest, p.manifestKey)) return;
    const run = await this.#mlflowRun(p.runId, p.experiment);
    await this.#client.createModelVersion({
      name: p.model,
      source: versionSource(p.location, run, `myelin:${p.model}@${p.version}`),
      ...(run ? { runId: run.info.run_id } : {}),
      tags: p.tags,
      description: p.description,
    });
  }

  /** Sets (or deletes) the alias on the MLflow version mirrored from the Myelin version. */
  async deliverAlias(entry: OutboxEntry, p: AliasPayload): Promise<DeliveryOutcome> {
    const later = await this.#outbox.laterEntities('alias', aliasEntityPrefix(p.model, p.alias), entry.id);
    if (later.length > 0) return 'superseded';
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
      const exp =
        this.#experiments.get(experiment) ??
        (await this.#client.getExperimentByName(experiment))?.experiment_id;
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

/** The log-batch requests of a run, in a fixed order: params (≤ 100 each), then metrics. */
export function runBatches(p: RunPayload): { params?: MlflowParam[]; metrics?: MlflowMetric[] }[] {
  return [
    ...chunk(p.params, MLFLOW_MAX_PARAMS_PER_BATCH).map((params) => ({ params })),
    ...chunk(p.metrics, MLFLOW_METRICS_PER_BATCH).map((metrics) => ({ metrics })),
  ];
}

/**
 * The `source` of a mirrored model version: the S3 URI when the artifacts are in S3; else, when
 * the Myelin run is mirrored, `<run artifact root>/model` (where the manifest was uploaded — MLflow
 * ≥ 2.9 refuses a local `file://` source outside the run's artifact folder); else the manifest's
 * own location (or `fallback` when the mirror has no artifact store).
 */
export function versionSource(location: string | null, run: MlflowRun | null, fallback: string): string {
  if (location && !location.startsWith('file:')) return location;
  if (run?.info.artifact_uri) return `${run.info.artifact_uri.replace(/\/+$/, '')}/model`;
  return location ?? fallback;
}
