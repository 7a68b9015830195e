import { MyelinError } from '@myelin/errors';
import type { MetadataStore } from '../metadata-store.js';
import type { JsonObject, RunWithSteps } from '../metadata-records.js';
import { readTrials, type RecordedTrialStatus } from '../runs/read-trials.js';
import { flattenParams } from './flatten-params.js';
import { toMetricValue } from './mlflow-client.js';
import type { MlflowArtifactSource } from './mlflow-artifact-source.js';
import type { MlflowMetric, MlflowParam, MlflowRunStatus, MlflowTag } from './mlflow-types.js';
import {
  MYELIN_TAGS,
  type AliasPayload,
  type RunPayload,
  type TrialPayload,
  type VersionPayload,
} from './mirror-payloads.js';

const RUN_STATUS: Record<string, MlflowRunStatus> = {
  succeeded: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
};

/** What the builders need besides the store. */
export interface PayloadContext {
  meta: MetadataStore;
  store?: MlflowArtifactSource | undefined;
  resolveSpec?: ((specText: string) => unknown) | undefined;
  codeVersion?: string | undefined;
}

/**
 * The run's mirror payload: tags, params from the resolved spec, epoch and test metrics, status
 * and times. Null when the run has not ended yet (it is mirrored once it ends). Unknown run:
 * `MYELIN_ERR_REGISTRY_NOT_FOUND`.
 */
export async function buildRunPayload(ctx: PayloadContext, runId: string): Promise<RunPayload | null> {
  const run = await ctx.meta.getRun(runId);
  if (!run) throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `run "${runId}" does not exist`);
  const status = RUN_STATUS[run.status];
  if (!status) return null;
  const summary = (run.summary ?? {}) as JsonObject;
  const model = asObject(summary.model);
  const registered =
    model && typeof model.name === 'string' && typeof model.version === 'number'
      ? await ctx.meta.getVersion(model.name, model.version)
      : null;
  const endTime = run.finishedAt ?? run.createdAt;
  const dataHash = stepOutput(run, 'ingest', 'dataHash') ?? registered?.dataHash;
  const codeVersion = registered?.codeVersion ?? ctx.codeVersion;

  const tags: MlflowTag[] = [
    { key: MYELIN_TAGS.runId, value: run.id },
    { key: 'myelin.pipeline', value: run.pipeline },
    { key: 'myelin.spec_hash', value: run.specHash },
    { key: 'myelin.trigger', value: run.trigger },
    { key: 'myelin.status', value: run.status },
    { key: 'mlflow.source.name', value: 'myelin' },
  ];
  if (dataHash) tags.push({ key: 'myelin.data_hash', value: dataHash });
  if (codeVersion) tags.push({ key: 'myelin.code_version', value: codeVersion });
  if (run.parentRunId) tags.push({ key: 'myelin.parent_run_id', value: run.parentRunId });
  if (run.error) tags.push({ key: 'myelin.error_code', value: run.error.code });
  if (registered) tags.push({ key: 'myelin.model', value: `${registered.model}@${registered.version}` });
  if (typeof summary.backend === 'string') tags.push({ key: 'myelin.backend', value: summary.backend });

  const { params, note } = paramsOf(run.specText, ctx.resolveSpec);
  if (note) tags.push({ key: 'myelin.params', value: note });

  const metrics: MlflowMetric[] = [];
  for (const e of await ctx.meta.listEpochs(run.id)) {
    for (const [k, v] of Object.entries(e.metrics).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (typeof v !== 'number') continue;
      metrics.push({
        key: e.step === 'train' ? k : `${e.step}.${k}`,
        value: toMetricValue(v),
        timestamp: e.recordedAt,
        step: e.epoch,
      });
    }
  }
  const test = asObject(asObject(summary.metrics)?.test) ?? {};
  for (const [k, v] of Object.entries(test).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (typeof v === 'number')
      metrics.push({ key: `test_${k}`, value: toMetricValue(v), timestamp: endTime, step: 0 });
  }

  const artifacts: RunPayload['artifacts'] = [];
  const manifestKey =
    registered?.manifestKey ?? (typeof summary.manifest === 'string' ? summary.manifest : undefined);
  if (ctx.store && manifestKey) artifacts.push({ path: 'model/manifest.json', key: manifestKey });
  const evaluation = stepOutput(run, 'evaluate', 'evaluation');
  if (ctx.store && evaluation) artifacts.push({ path: 'model/evaluation.json', key: evaluation });

  const trials = trialsOf(run, endTime);
  return {
    runId: run.id,
    experiment: run.pipeline,
    status,
    startTime: run.startedAt ?? run.createdAt,
    endTime,
    tags,
    params,
    metrics,
    artifacts,
    ...(trials.length > 0 ? { trials } : {}),
  };
}

const TRIAL_STATUS: Record<RecordedTrialStatus, MlflowRunStatus> = {
  succeeded: 'FINISHED',
  pruned: 'KILLED',
  failed: 'FAILED',
  cancelled: 'KILLED',
};

/**
 * The train step's tune trials (its `trials` output): params, the curve (`loss` per epoch, as the
 * tune step records it: validation loss, or training loss without a validation split) and the
 * objective (`<metric>`, at the last epoch run), as `readTrials` reads them.
 */
function trialsOf(run: RunWithSteps, endTime: number): TrialPayload[] {
  const { tune, trials } = readTrials(run);
  const metric = tune?.metric ?? 'objective';
  return trials.map((t) => {
    const curve = t.curve.filter((v): v is number => v !== null);
    const tags: MlflowTag[] = [
      { key: 'myelin.trial.index', value: String(t.index) },
      { key: 'myelin.trial.status', value: t.status },
      { key: 'myelin.trial.epochs_run', value: String(t.epochsRun) },
      { key: 'myelin.trial.best', value: String(tune?.bestTrial === t.index) },
    ];
    if (t.rung !== null) tags.push({ key: 'myelin.trial.rung', value: String(t.rung) });
    if (t.error !== undefined) tags.push({ key: 'myelin.trial.error', value: t.error });
    const metrics: MlflowMetric[] = curve.map((v, i) => ({
      key: 'loss',
      value: toMetricValue(v),
      timestamp: endTime,
      step: i + 1, // curve[i] is epoch i + 1
    }));
    if (t.metric !== null)
      metrics.push({ key: metric, value: toMetricValue(t.metric), timestamp: endTime, step: t.epochsRun });
    return {
      index: t.index,
      status: TRIAL_STATUS[t.status],
      tags,
      params: flattenParams(t.params),
      metrics,
    };
  });
}

/** The version's mirror payload: where its artifacts are and its lineage and gate tags. */
export async function buildVersionPayload(
  ctx: PayloadContext,
  model: string,
  version: number,
): Promise<VersionPayload> {
  const v = await ctx.meta.getVersion(model, version);
  if (!v)
    throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `model "${model}" has no version ${version}`);
  const run = await ctx.meta.getRun(v.runId);
  const gates = Object.entries(v.gates).sort(([a], [b]) => (a < b ? -1 : 1));
  const sha = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{62})$/.exec(v.manifestKey);
  const location = ctx.store ? ctx.store.locate(v.manifestKey) : null;
  const tags: MlflowTag[] = [
    { key: MYELIN_TAGS.manifest, value: v.manifestKey },
    { key: 'myelin.version', value: String(v.version) },
    { key: MYELIN_TAGS.runId, value: v.runId },
    { key: 'myelin.spec_hash', value: v.specHash },
    { key: 'myelin.data_hash', value: v.dataHash },
    { key: 'myelin.code_version', value: v.codeVersion },
    {
      key: 'myelin.gates',
      value: gates.length === 0 ? 'none' : gates.every(([, g]) => g.passed) ? 'passed' : 'failed',
    },
  ];
  if (sha) tags.push({ key: 'myelin.manifest.sha256', value: `${sha[1]}${sha[2]}` });
  if (location) tags.push({ key: 'myelin.manifest.uri', value: location });
  for (const [name, g] of gates) {
    tags.push({
      key: `myelin.gate.${name}`,
      value: `${g.passed ? 'passed' : 'failed'}: ${g.value} (${g.bound})`,
    });
  }
  return {
    model: v.model,
    version: v.version,
    manifestKey: v.manifestKey,
    runId: v.runId,
    experiment: run?.pipeline ?? null,
    location,
    description: `Myelin ${v.model}@${v.version} (run ${v.runId})`,
    tags,
  };
}

/** The alias move's payload (`version` null: removed). */
export async function buildAliasPayload(
  ctx: PayloadContext,
  model: string,
  alias: string,
  version: number | null,
): Promise<AliasPayload> {
  if (version === null) return { model, alias, version: null, manifestKey: null };
  const v = await ctx.meta.getVersion(model, version);
  if (!v)
    throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `model "${model}" has no version ${version}`);
  return { model, alias, version, manifestKey: v.manifestKey };
}

function paramsOf(
  specText: string,
  resolveSpec: ((text: string) => unknown) | undefined,
): { params: MlflowParam[]; note?: string } {
  try {
    if (resolveSpec) return { params: flattenParams(resolveSpec(specText)) };
    return { params: flattenParams(JSON.parse(specText)) };
  } catch (e) {
    const why = resolveSpec
      ? `the spec could not be resolved: ${(e as Error).message}`
      : 'no spec resolver configured';
    return { params: [], note: `unavailable (${why})`.slice(0, 5000) };
  }
}

function stepOutput(run: RunWithSteps, step: string, key: string): string | undefined {
  const v = run.steps.find((s) => s.name === step)?.outputs?.[key];
  return typeof v === 'string' ? v : undefined;
}

function asObject(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}
