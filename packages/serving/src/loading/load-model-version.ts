import {
  findModelFile,
  loadManifest,
  parseContentKey,
  type ArtifactStore,
  type ManifestProblem,
  type ModelFileRole,
  type ModelManifest,
} from '@myelin/artifacts';
import * as z from 'zod';
import { deserializePreprocessor, parseDataSchema, parseTargetEncoder } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { MetadataStore, VersionRecord } from '@myelin/registry';
import { loadModelFromBytes, predictBatches } from '@myelin/training';
import type { LoadedVersion } from './loaded-version.js';
import { profileSchema } from './stored-file-schemas.js';
import { tfjsPredictor, torchPredictor, type PredictEngine } from './version-predictor.js';

const decoder = new TextDecoder();

/**
 * Reads every file a manifest lists, once: the store hashes the bytes as it reads them (its keys
 * are their sha256), the size is checked against the manifest. Returns the bytes by role (the
 * first file of each role), or the problem of each file that is missing, of another size or
 * another hash.
 */
async function readVerified(
  store: ArtifactStore,
  manifest: ModelManifest,
): Promise<{ bytes: Map<string, Uint8Array>; problems: ManifestProblem[] }> {
  const bytes = new Map<string, Uint8Array>();
  const problems: ManifestProblem[] = [];
  await Promise.all(
    manifest.files.map(async (f, i) => {
      const report = (problem: ManifestProblem['problem']): void => {
        problems.push({ file: f.name, key: f.key, problem });
      };
      if (parseContentKey(f.key) !== f.sha256) return report('hash-mismatch');
      let b: Uint8Array;
      try {
        b = await store.getBytes(f.key);
      } catch (e) {
        if (e instanceof MyelinError && e.code === 'MYELIN_ERR_ARTIFACT_INTEGRITY')
          return report('hash-mismatch');
        if (e instanceof MyelinError && e.code === 'MYELIN_ERR_ARTIFACT_NOT_FOUND') return report('missing');
        throw e;
      }
      if (b.length !== f.size) return report('size-mismatch');
      if (manifest.files.findIndex((g) => g.role === f.role) === i) bytes.set(f.role, b);
    }),
  );
  const order = new Map(manifest.files.map((f, i) => [f.key + f.name, i]));
  problems.sort((a, b) => (order.get(a.key + a.file) ?? 0) - (order.get(b.key + b.file) ?? 0));
  return { bytes, problems };
}

function fileOf(manifest: ModelManifest, bytes: Map<string, Uint8Array>, role: ModelFileRole): Uint8Array {
  const b = bytes.get(role);
  if (!b) {
    throw new MyelinError(
      'MYELIN_ERR_SERVING_LOAD',
      `${manifest.model}: the manifest lists no "${role}" file, so the version cannot be served`,
    );
  }
  return b;
}

/** The file name a manifest gives a role, for messages (the role itself when it lists none). */
const fileName = (manifest: ModelManifest, role: ModelFileRole): string =>
  findModelFile(manifest, role)?.name ?? role;

function json(manifest: ModelManifest, bytes: Map<string, Uint8Array>, role: ModelFileRole): unknown {
  const name = fileName(manifest, role);
  const text = decoder.decode(fileOf(manifest, bytes, role));
  try {
    return JSON.parse(text);
  } catch {
    throw new MyelinError('MYELIN_ERR_SERVING_LOAD', `${manifest.model}: ${name} is not valid JSON`, {
      file: name,
    });
  }
}

/** A version's JSON file checked against its schema: a file of another shape is refused by name and field. */
function parsedFile<S extends z.ZodType>(
  manifest: ModelManifest,
  bytes: Map<string, Uint8Array>,
  role: ModelFileRole,
  schema: S,
): z.output<S> {
  const r = schema.safeParse(json(manifest, bytes, role));
  if (r.success) return r.data;
  const name = fileName(manifest, role);
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  throw new MyelinError(
    'MYELIN_ERR_SERVING_LOAD',
    `${manifest.model}: ${name}${path ? ` field ${path}` : ''}: ${issue.message}`,
    { file: name, ...(path ? { path } : {}) },
  );
}

/** Options of `loadModelVersion`. */
export interface LoadModelVersionOptions {
  /** Predictions run on dummy rows before the version takes traffic. @defaultValue 3 */
  warmupRuns?: number;
  /** Wall clock for the load time. @defaultValue Date.now */
  now?: () => number;
  /**
   * What predicts for traffic: `tfjs`, or `torch`: the torch addon (off the main thread) when it
   * loads and matches the tfjs model on probe rows, else tfjs.
   * @defaultValue 'tfjs'
   */
  engine?: PredictEngine;
  /** Receives why the torch addon was not taken (with `engine: 'torch'`). @defaultValue none */
  log?: (line: string) => void;
}

/**
 * Loads one registered version for serving: reads its manifest, reads every file it lists once
 * (the store hashes it as it reads, so on S3 each file is downloaded once; a tampered, resized or
 * missing file is refused with MYELIN_ERR_ARTIFACT_INTEGRITY naming it), then builds
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
  const { bytes, problems } = await readVerified(store, manifest);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.file} (${p.problem}, ${p.key})`).join('; ');
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_INTEGRITY',
      `refusing to serve ${record.model}@${record.version}: ${list}`,
      { file: problems[0]?.file },
    );
  }
  const modelJson = fileOf(manifest, bytes, 'model-json');
  const weights = fileOf(manifest, bytes, 'weights');
  const preprocessor = deserializePreprocessor(json(manifest, bytes, 'preprocessor'));
  const targetEncoder = parseTargetEncoder(json(manifest, bytes, 'target-encoder'));
  const schema = parseDataSchema(json(manifest, bytes, 'schema'), fileName(manifest, 'schema'));
  const profile = parsedFile(manifest, bytes, 'profile', profileSchema);
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
  let predictor = tfjsPredictor(tfModel, inputWidth);
  const modelFile = bytes.get('model');
  if (opts.engine === 'torch') {
    const torch = modelFile
      ? await torchPredictor(modelFile, predictor, inputWidth)
      : { why: 'the version has no engine-neutral model file' };
    if ('predictor' in torch) predictor = torch.predictor;
    else
      opts.log?.(
        `${record.model}@${record.version}: predicting with tfjs, not the torch addon: ${torch.why}`,
      );
  }
  return {
    model: record.model,
    version: record.version,
    record,
    manifest,
    tfModel,
    predictor,
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
