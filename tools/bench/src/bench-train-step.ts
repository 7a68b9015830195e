import { FsArtifactStore } from '@myelin/artifacts';
import { packFloat32, STEPS, type StepContext } from '@myelin/pipeline';
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
 * and the served tfjs model. The context is built by hand with the fields the step reads (no
 * metadata store: recording is runStep's job, not the step's). The packed rows are put first, as
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
  const spec = {
    model: { layers: b.layers },
    train: {
      epochs: b.train.epochs,
      batchSize: b.train.batchSize,
      optimizer: { name: 'adam', learningRate: b.train.learningRate },
      seed: b.train.seed,
      checkpointEvery: b.train.checkpointEvery,
      resources: { gpu: 0 },
    },
  };
  const ctx = {
    runId: 'bench-train',
    step: 'train',
    spec,
    loaded: { spec },
    store: b.store,
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
    emit: (e: { type: string; metrics?: Record<string, number> }) => {
      if (e.type === 'epoch') b.onEpoch(e.metrics ?? {});
    },
    log: () => undefined,
    shouldStop: () => false,
    fence: async () => undefined,
  } as unknown as StepContext;
  b.onStart?.();
  await STEPS.train.run(ctx);
}
