import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  findModelFile,
  MODEL_FILES,
  modelFile,
  type ArtifactStore,
  type ModelFileRole,
  type ModelManifest,
} from '@myelin/artifacts';
import { MyelinError } from '@myelin/errors';
import { readOnnxModel } from './onnx-graph.js';
import { tfjsToOnnx } from './tfjs-to-onnx.js';
import { tritonConfig } from './triton-config.js';

/** What `myelin export` writes: an ONNX model for Triton/KServe, or the served tfjs files. */
export type ExportFormat = 'onnx' | 'tfjs';

/** The files that ship beside the model: the fitted preprocessing and what the rows must look like. */
const BESIDE = ['preprocessor', 'target-encoder', 'schema'] as const satisfies readonly ModelFileRole[];

/** Options of `writeModelRepository`. */
export interface ModelRepositoryOptions {
  store: Pick<ArtifactStore, 'getBytes'>;
  manifest: ModelManifest;
  /** The registry version number: the version folder's name. */
  version: number;
  format: ExportFormat;
  /** The repository folder (created when missing); the model goes to `<outDir>/<name>/<version>/`. */
  outDir: string;
  /** The model folder's name. @defaultValue the manifest's model name */
  name?: string;
  /** Triton's `max_batch_size`. @defaultValue 64 */
  maxBatchSize?: number;
}

/** What was written. */
export interface ModelRepository {
  /** `<outDir>/<name>`. */
  modelDir: string;
  /** `<outDir>/<name>/<version>`. */
  versionDir: string;
  /** Every file written, relative to `outDir`, sorted. */
  files: string[];
  /** The graph's input and output (onnx format). */
  input?: { name: string; dims: number[] };
  output?: { name: string; dims: number[] };
}

function dimsOf(t: {
  type?: { tensorType?: { shape?: { dim?: { dimValue?: unknown }[] | null } | null } | null } | null;
}): number[] {
  return (t.type?.tensorType?.shape?.dim ?? []).slice(1).map((d) => Number(d.dimValue ?? 0));
}

/**
 * Writes one registered version as a model repository:
 *
 * - `onnx`: `<name>/config.pbtxt` (Triton `onnxruntime_onnx`, input and output names, FP32, dims)
 *   and `<name>/<version>/model.onnx` — the version's own `model.onnx`, or one built now from its
 *   tfjs files for versions registered before ONNX export; a multiclass model also gets
 *   `<name>/labels.txt` (the classes in output order) for Triton's classification extension.
 * - `tfjs`: `<name>/<version>/model.json` and `weights.bin`, the served files.
 *
 * Either way `preprocessor.json`, `target-encoder.json` and `schema.json` go beside the model in
 * the version folder: the graph takes encoded feature rows, so a client applies the fitted
 * preprocessing first. Every file is read through the store, which checks its hash. A version
 * folder that exists and is not empty is refused (`MYELIN_ERR_USAGE`): nothing is overwritten.
 */
export async function writeModelRepository(o: ModelRepositoryOptions): Promise<ModelRepository> {
  const name = o.name ?? o.manifest.model;
  const modelDir = join(o.outDir, name);
  const versionDir = join(modelDir, String(o.version));
  const existing = await readdir(versionDir).catch(() => [] as string[]);
  if (existing.length)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `${versionDir} exists and is not empty; remove it or export to another --out folder`,
      { file: versionDir },
    );
  const has = (role: ModelFileRole): boolean => findModelFile(o.manifest, role) !== undefined;
  const read = (role: ModelFileRole): Promise<Uint8Array> =>
    o.store.getBytes(modelFile(o.manifest, role).key);
  const written: [string, Uint8Array | string][] = [];
  const out: ModelRepository = { modelDir, versionDir, files: [] };
  if (o.format === 'onnx') {
    const onnx = has('onnx')
      ? await read('onnx')
      : tfjsToOnnx({ modelJson: await read('model-json'), weights: await read('weights') }, { name }).bytes;
    const graph = readOnnxModel(onnx).graph;
    const gi = graph?.input?.[0];
    const go = graph?.output?.[0];
    if (!gi?.name || !go?.name)
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_INTEGRITY',
        `model.onnx of ${name}@${o.version} has no input or output`,
      );
    out.input = { name: gi.name, dims: dimsOf(gi) };
    out.output = { name: go.name, dims: dimsOf(go) };
    const labels = await labelsOf(has('target-encoder') ? await read('target-encoder') : null);
    const withLabels = labels && labels.length === out.output.dims[0] ? labels : null;
    written.push([join(name, String(o.version), 'model.onnx'), onnx]);
    written.push([
      join(name, 'config.pbtxt'),
      tritonConfig({
        name,
        input: out.input,
        output: { ...out.output, ...(withLabels ? { labelFilename: 'labels.txt' } : {}) },
        ...(o.maxBatchSize !== undefined ? { maxBatchSize: o.maxBatchSize } : {}),
      }),
    ]);
    if (withLabels) written.push([join(name, 'labels.txt'), `${withLabels.join('\n')}\n`]);
  } else {
    written.push([join(name, String(o.version), 'model.json'), await read('model-json')]);
    written.push([join(name, String(o.version), 'weights.bin'), await read('weights')]);
  }
  for (const role of BESIDE) {
    if (has(role)) written.push([join(name, String(o.version), MODEL_FILES[role]), await read(role)]);
  }
  await mkdir(versionDir, { recursive: true });
  for (const [rel, content] of written) await writeFile(join(o.outDir, rel), content);
  out.files = written.map(([rel]) => rel).sort();
  return out;
}

async function labelsOf(bytes: Uint8Array | null): Promise<string[] | null> {
  if (!bytes) return null;
  try {
    const enc: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (typeof enc !== 'object' || enc === null || !('task' in enc) || !('classes' in enc)) return null;
    if (enc.task !== 'multiclass' || !Array.isArray(enc.classes)) return null;
    return enc.classes.map(String).map((c) => c.replace(/[\r\n]+/g, ' '));
  } catch {
    return null;
  }
}
