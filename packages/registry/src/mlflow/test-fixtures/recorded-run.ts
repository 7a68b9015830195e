import type { MetadataStore } from '../../metadata-store.js';
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

const key = (n: number): string => `sha256/${String(n).padStart(2, '0')}/${'a'.repeat(62)}`;

/**
 * Records in the store what a finished Myelin run leaves behind: the run (succeeded, with a
 * summary), ingest/evaluate steps, three training epochs, and a registered version pointed at by
 * `candidate`. Returns the run id and the version number.
 */
export async function recordFinishedRun(
  meta: MetadataStore,
  artifacts: MemoryArtifacts,
  opts: { manifest?: number; epochs?: number } = {},
): Promise<{ runId: string; version: number; manifestKey: string }> {
  const manifestKey = artifacts.put(key(opts.manifest ?? 1), `{"schemaVersion":1,"n":${opts.manifest ?? 1}}`);
  const evaluation = artifacts.put(key(90 + (opts.manifest ?? 1)), '{"metrics":{"accuracy":0.97}}');
  const run = await meta.createRun({
    pipeline: 'penguins-species',
    trigger: 'cli',
    specHash: 'spec-1',
    specText: specText(),
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
  await meta.finishStep(run.id, 'evaluate', { status: 'succeeded', outputs: { evaluation } });
  const { version } = await meta.registerVersion({
    model: 'penguins',
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
      model: { name: 'penguins', version: version.version, manifest: manifestKey, aliases: ['candidate'] },
      manifest: manifestKey,
      backend: 'cpu',
    },
  });
  return { runId: run.id, version: version.version, manifestKey };
}
