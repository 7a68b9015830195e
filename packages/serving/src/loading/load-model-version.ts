import { loadManifest, verifyManifest, type ArtifactStore, type ModelManifest } from '@myelin/artifacts';
import { deserializePreprocessor, type DataSchema, type Profile, type TargetEncoder } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { MetadataStore, VersionRecord } from '@myelin/registry';
import { loadModelFromBytes, predictBatches } from '@myelin/training';
import type { LoadedVersion } from './loaded-version.js';

const decoder = new TextDecoder();

function fileOf(manifest: ModelManifest, role: string): ModelManifest['files'][number] {
  const f = manifest.files.find((x) => x.role === role);
  if (!f) {
    throw new MyelinError(
      'MYELIN_ERR_SERVING_LOAD',
      `${manifest.model}: the manifest lists no "${role}" file, so the version cannot be served`,
    );
  }
  return f;
}

async function json<T>(store: ArtifactStore, manifest: ModelManifest, role: string): Promise<T> {
  return JSON.parse(decoder.decode(await store.getBytes(fileOf(manifest, role).key))) as T;
}

/** Options of `loadModelVersion`. */
export interface LoadModelVersionOptions {
  /** Predictions run on dummy rows before the version takes traffic. @defaultValue 3 */
  warmupRuns?: number;
  /** Wall clock for the load time. @defaultValue Date.now */
  now?: () => number;
}

/**
 * Loads one registered version for serving: reads its manifest, re-hashes every file it lists
 * (refusing a tampered or missing file with MYELIN_ERR_ARTIFACT_INTEGRITY naming it), then builds
 * the tfjs model and reads the fitted preprocessing, target encoder, training schema and profile,
 * and runs a few warm-up predictions (batch sizes 1 and 8) so the first request pays no compile cost.
 *
 * @example
 * const rec = await meta.getVersion('penguins', 3);
 * const loaded = await loadModelVersion(store, rec!);
 */
export async function loadModelVersion(
  store: ArtifactStore,
  record: VersionRecord,
  opts: LoadModelVersionOptions = {},
): Promise<LoadedVersion> {
  const now = opts.now ?? Date.now;
  const started = now();
  const manifest = await loadManifest(store, record.manifestKey);
  const check = await verifyManifest(store, manifest);
  if (!check.ok) {
    const list = check.problems.map((p) => `${p.file} (${p.problem}, ${p.key})`).join('; ');
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_INTEGRITY',
      `refusing to serve ${record.model}@${record.version}: ${list}`,
      { file: check.problems[0]?.file },
    );
  }
  const [modelJson, weights] = await Promise.all([
    store.getBytes(fileOf(manifest, 'model-json').key),
    store.getBytes(fileOf(manifest, 'weights').key),
  ]);
  const preprocessor = deserializePreprocessor(await json<unknown>(store, manifest, 'preprocessor'));
  const targetEncoder = await json<TargetEncoder>(store, manifest, 'target-encoder');
  const schema = await json<DataSchema>(store, manifest, 'schema');
  const profile = await json<Profile>(store, manifest, 'profile');
  const tfModel = await loadModelFromBytes({ modelJson, weights });
  const inputWidth = preprocessor.width;
  const modelIn = tfModel.inputs[0]?.shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
  if (modelIn !== inputWidth) {
    tfModel.dispose();
    throw new MyelinError(
      'MYELIN_ERR_SERVING_LOAD',
      `${record.model}@${record.version}: the model takes ${String(modelIn)} values per row but the preprocessing writes ${inputWidth}`,
    );
  }
  const outputWidth = tfModel.outputs[0]?.shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1) ?? 1;
  const runs = opts.warmupRuns ?? 3;
  for (let i = 0; i < runs; i++) {
    const n = i % 2 === 0 ? 1 : 8;
    predictBatches(tfModel, new Float32Array(n * inputWidth), n, inputWidth, n);
  }
  return {
    model: record.model,
    version: record.version,
    record,
    manifest,
    tfModel,
    preprocessor,
    targetEncoder,
    schema,
    profile,
    inputWidth,
    inputShape: manifest.inputShape ?? [inputWidth],
    outputWidth,
    classes: targetEncoder.task === 'regression' ? null : targetEncoder.classes,
    loadMs: now() - started,
  };
}

/** Loads the version an alias points at (see `loadModelVersion`). */
export async function loadByAlias(
  meta: MetadataStore,
  store: ArtifactStore,
  model: string,
  alias: string,
  opts: LoadModelVersionOptions = {},
): Promise<LoadedVersion> {
  const v = await meta.resolveAlias(model, alias);
  if (v === null)
    throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `model ${model} has no alias "${alias}"`);
  const rec: VersionRecord | null = await meta.getVersion(model, v);
  if (!rec) throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `${model}@${v} does not exist`);
  return loadModelVersion(store, rec, opts);
}
