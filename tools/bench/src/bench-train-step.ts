import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsArtifactStore } from '@myelin/artifacts';
import { packFloat32, STEPS, type StepContext } from '@myelin/pipeline';
import { openEmbeddedMetadataStore } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import type { LayerSpec } from '@myelin/training';

/** What a benchmark asks the train step to train. */
export interface BenchTrainStep {
  store: FsArtifactStore;
  layers: LayerSpec[];
  train: { epochs: number; batchSize: number; learningRate: number; seed: number; checkpointEvery: number };
  x: Float32Array;
  y: Float32Array;
  rows: number;
  features: number;
  classes: number;
  inputShape: number[];
  /** Called at each epoch's end with its metrics. */
  onEpoch: (metrics: Record<string, number>) => void;
  /**
   * Called once the preprocess step's artifact is in the store, just before the train step runs:
   * writing that artifact is the preprocess step's work, not training's, so timing starts here.
   */
  onStart?: () => void;
}

/**
 * Runs the pipeline's whole train step (`STEPS.train.run`) on rows packed as the preprocess step
 * packs them, in a real artifact store: engine selection, unpacking, checkpoints, the model file
 * and the served tfjs model, with a context as `runStep` builds one (a pipeline file resolved by the
 * spec parser, an embedded metadata store in a scratch folder). The packed rows are put first, as
 * the preprocess step leaves them; `onStart` marks where the train step's own work begins.
 */
export async function runBenchTrainStep(b: BenchTrainStep): Promise<void> {
  const { key } = await b.store.put(
    packFloat32({
      x_train: { data: b.x, shape: [b.rows, b.features] },
      y_train: { data: b.y, shape: [b.rows, b.classes] },
      x_validation: { data: new Float32Array(0), shape: [0, b.features] },
      y_validation: { data: new Float32Array(0), shape: [0, b.classes] },
    }),
  );
  // a real pipeline file (JSON is YAML), resolved by the spec parser as `myelin run` resolves one:
  // the train step reads only its model and train sections; the data source is never opened
  const dir = await mkdtemp(join(tmpdir(), 'myelin-bench-train-'));
  const loaded = parseSpec(
    JSON.stringify({
      apiVersion: 'myelin/v1',
      name: 'bench-train',
      data: { source: 'bench.csv', target: 'label' },
      model: { layers: b.layers },
      train: {
        epochs: b.train.epochs,
        batchSize: b.train.batchSize,
        optimizer: { name: 'adam', learningRate: b.train.learningRate },
        seed: b.train.seed,
        checkpointEvery: b.train.checkpointEvery,
        resources: { gpu: 0 },
      },
    }),
    join(dir, 'pipeline.yaml'),
  );
  // recording is runStep's job, not the step's: the store is there because a context has one
  const meta = await openEmbeddedMetadataStore({ dir });
  const ctx: StepContext = {
    runId: 'bench-train',
    step: 'train',
    spec: loaded.spec,
    loaded,
    store: b.store,
    meta,
    inputs: {
      // every field of the preprocess step's outputs: the step checks them against their schema
      // (the three artifact keys it does not read are named, never fetched)
      preprocess: {
        preprocessor: 'bench/preprocessor.json',
        targetEncoder: 'bench/target-encoder.json',
        splits: 'bench/splits.json',
        tensors: key,
        task: 'multiclass',
        inputShape: b.inputShape,
        outputs: b.classes,
        classes: Array.from({ length: b.classes }, (_, i) => String(i)),
        sizes: { train: b.rows, validation: 0, test: 0 },
      },
    },
    options: { allowOutside: false, noCache: true },
    codeVersion: { version: 'bench' },
    emit: (e) => {
      if (e.type === 'epoch') b.onEpoch(e.metrics);
    },
    log: () => undefined,
    shouldStop: () => false,
    fence: async () => undefined,
  };
  try {
    b.onStart?.();
    await STEPS.train.run(ctx);
  } finally {
    await meta.close();
    await rm(dir, { recursive: true, force: true });
  }
}
