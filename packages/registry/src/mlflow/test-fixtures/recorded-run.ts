import { createHash } from 'node:crypto';
import type { MetadataStore } from '../../metadata-store.js';
import type { JsonObject } from '../../metadata-records.js';
import type { MlflowArtifactSource } from '../mlflow-artifact-source.js';

/** An in-memory artifact source (the mirror only reads from it). */
export class MemoryArtifacts implements MlflowArtifactSource {
  readonly files = new Map<string, Uint8Array>();
  constructor(readonly root = 'file:///tmp/myelin/artifacts') {}
  put(key: string, text: string): string {
    this.files.set(key, new TextEncoder().encode(text));
    return key;
  }
  locate(key: string): string {
    return `${this.root}/${key}`;
  }
  async getBytes(key: string): Promise<Uint8Array> {
    const b = this.files.get(key);
    if (!b) throw new Error(`no artifact ${key}`);
    return b;
  }
}

/** A resolved spec as JSON text, with more than 100 leaves (so params need two batches). */
export function specText(extra = 120): string {
  const many: Record<string, number> = {};
  for (let i = 0; i < extra; i++) many[`p${String(i).padStart(3, '0')}`] = i;
  return JSON.stringify({
    name: 'penguins-species',
    train: { epochs: 3, optimizer: { name: 'adam', learningRate: 0.001 } },
    model: { layers: [{ type: 'dense', units: 16 }] },
    many,
  });
}

/** A content-key-shaped key: `sha256/<2 hex>/<62 hex>` from a number and a salt (unique per test run when salted). */
function key(n: number, salt = ''): string {
  const hex = createHash('sha256').update(`${salt}:${n}`).digest('hex');
  return `sha256/${hex.slice(0, 2)}/${hex.slice(2)}`;
}

/** Options of `recordFinishedRun`. */
export interface RecordedRunOptions {
  /** Tells runs apart: their manifest and file keys differ. @defaultValue 1 */
  manifest?: number;
  epochs?: number;
  /** Pipeline name (the MLflow experiment). @defaultValue 'penguins-species' */
  pipeline?: string;
  /** Registered model name. @defaultValue 'penguins' */
  model?: string;
  /** Mixed into every key, so runs recorded in separate test runs never share a manifest key. @defaultValue '' */
  salt?: string;
  /** The run's spec text. @defaultValue `specText()` */
  spec?: string;
  /** The train step's outputs (a tuned run: its `tune` and `trials`). @defaultValue none */
  trainOutputs?: JsonObject;
}

/**
 * Records in the store what a finished Myelin run leaves behind: the run (succeeded, with a
 * summary), ingest/evaluate steps, three training epochs, and a registered version pointed at by
 * `candidate` whose manifest lists model.json, weights.bin and model.onnx (stored in `artifacts`).
 * Returns the run id, the version number and the manifest key.
 */
export async function recordFinishedRun(
  meta: MetadataStore,
  artifacts: MemoryArtifacts,
  opts: RecordedRunOptions = {},
): Promise<{ runId: string; version: number; manifestKey: string }> {
  const n = opts.manifest ?? 1;
  const salt = opts.salt ?? '';
  const pipeline = opts.pipeline ?? 'penguins-species';
  const model = opts.model ?? 'penguins';
  const files = [
    { role: 'model-json', name: 'model.json', text: `{"modelTopology":{"n":${n}}}` },
    { role: 'weights', name: 'weights.bin', text: `weights-${n}` },
    { role: 'onnx', name: 'model.onnx', text: `onnx-${n}` },
  ].map((f, i) => ({ role: f.role, name: f.name, key: artifacts.put(key(n * 10 + i, salt), f.text) }));
  const manifestKey = artifacts.put(key(n, salt), JSON.stringify({ schemaVersion: 1, model, n, files }));
  const evaluation = artifacts.put(key(90 + n, salt), '{"metrics":{"accuracy":0.97}}');
  const run = await meta.createRun({
    pipeline,
    trigger: 'cli',
    specHash: 'spec-1',
    specText: opts.spec ?? specText(),
    status: 'running',
  });
  await meta.finishStep(run.id, 'ingest', { status: 'succeeded', outputs: { dataHash: 'data-1' } });
  for (let epoch = 0; epoch < (opts.epochs ?? 3); epoch++) {
    await meta.recordEpoch({
      runId: run.id,
      step: 'train',
      epoch,
      metrics: { loss: 1 / (epoch + 1), val_accuracy: 0.8 + epoch / 100 },
    });
  }
  if (opts.trainOutputs)
    await meta.finishStep(run.id, 'train', { status: 'succeeded', outputs: opts.trainOutputs });
  await meta.finishStep(run.id, 'evaluate', { status: 'succeeded', outputs: { evaluation } });
  const { version } = await meta.registerVersion({
    model,
    manifestKey,
    metrics: { accuracy: 0.97 },
    gates: { accuracy: { passed: true, value: 0.97, bound: '>= 0.9' } },
    runId: run.id,
    specHash: 'spec-1',
    dataHash: 'data-1',
    codeVersion: '0.1.0+abc',
    aliases: ['candidate'],
    who: 'test',
  });
  await meta.updateRun(run.id, {
    status: 'succeeded',
    summary: {
      status: 'succeeded',
      metrics: { test: { accuracy: 0.97, f1: 0.95 } },
      model: { name: model, version: version.version, manifest: manifestKey, aliases: ['candidate'] },
      manifest: manifestKey,
      backend: 'cpu',
    },
  });
  return { runId: run.id, version: version.version, manifestKey };
}
