import {
  buildModel,
  deserializeCheckpoint,
  selectBackend,
  serializeCheckpoint,
  serializeModel,
  trainModel,
  type CheckpointState,
  type TrainConfig,
} from '@myelin/training';
import type { Task } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { StepContext, StepOutputs } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import type { StepDefinition } from './step-definition.js';
import { putJson } from '../util/json-artifacts.js';
import { unpackFloat32 } from '../util/float-pack.js';

/** The named ref under which a run's latest training checkpoint is kept (resume reads it). */
export function checkpointRef(runId: string): string {
  return `checkpoints/${runId}/train/latest`;
}

/** Maps the spec's class weights (label → weight) onto class indices. */
function classWeightsFor(spec: StepContext['spec'], classes: string[] | null): TrainConfig['classWeights'] {
  const cw = spec.train.classWeights;
  if (!cw || cw === 'balanced' || !classes) return cw as TrainConfig['classWeights'];
  const out: Record<string, number> = {};
  for (const [label, w] of Object.entries(cw)) {
    const i = classes.indexOf(label);
    if (i >= 0) out[String(i)] = w;
  }
  return out;
}

/**
 * Trains the model from `model.layers` on the encoded training split, validating on the
 * validation split, with checkpoints to the artifact store and resume from the latest one.
 */
export const trainStep: StepDefinition = {
  name: 'train',
  async cacheKey(ctx) {
    const { resources: _resources, retry: _retry, ...train } = ctx.spec.train;
    return { model: ctx.spec.model, train, backend: process.env.MYELIN_BACKEND ?? 'auto' };
  },
  async run(ctx: StepContext): Promise<StepOutputs> {
    const { spec } = ctx;
    const gpu = (spec.train.resources?.gpu ?? 0) >= 1;
    const backend = await selectBackend({ requireGpu: gpu, log: (m) => ctx.log(m) });
    ctx.emit({ type: 'backend', step: 'train', backend: backend.name, detail: backend.reason });
    const packed = unpackFloat32(await ctx.store.getBytes(input<string>(ctx, 'preprocess', 'tensors')));
    const task = input<Task>(ctx, 'preprocess', 'task');
    const classes = input<string[] | null>(ctx, 'preprocess', 'classes');
    const inputShape = input<number[]>(ctx, 'preprocess', 'inputShape');
    const xt = packed.x_train!;
    const yt = packed.y_train!;
    const xv = packed.x_validation!;
    const yv = packed.y_validation!;
    const model = buildModel({
      layers: spec.model.layers as never,
      task,
      inputShape,
      ...(classes ? { numClasses: classes.length } : {}),
      ...(spec.model.output ? { output: spec.model.output as never } : {}),
      seed: spec.train.seed,
    });
    const config: TrainConfig = {
      ...(spec.train as unknown as TrainConfig),
      classWeights: classWeightsFor(spec, classes),
    };
    let resumeFrom: CheckpointState | undefined;
    const ref = await ctx.store.getRef(checkpointRef(ctx.runId));
    if (ref) {
      resumeFrom = deserializeCheckpoint(await ctx.store.getBytes(ref));
      ctx.log(`resuming from the checkpoint of epoch ${resumeFrom.epoch}`);
    }
    try {
      const result = await trainModel({
        model,
        x: xt.data,
        y: yt.data,
        xShape: [xt.shape[0]!, xt.shape[1]!],
        yShape: [yt.shape[0]!, yt.shape[1]!],
        ...(xv.shape[0]! > 0 ? { validation: { x: xv.data, y: yv.data, n: xv.shape[0]! } } : {}),
        config,
        task,
        ...(classes ? { classes: classes.length } : {}),
        onEpoch: (e) => {
          ctx.emit({
            type: 'epoch',
            step: 'train',
            epoch: e.epoch,
            epochs: e.epochs,
            metrics: e.metrics,
            durationMs: e.durationMs,
            samplesPerSec: e.samplesPerSec,
            learningRate: e.learningRate,
          });
        },
        checkpoint: {
          every: spec.train.checkpointEvery,
          save: async (state) => {
            const { key } = await ctx.store.put(serializeCheckpoint(state));
            await ctx.store.putRef(checkpointRef(ctx.runId), key);
          },
        },
        ...(resumeFrom ? { resumeFrom } : {}),
        shouldStop: () => ctx.shouldStop(),
        log: (m) => ctx.log(m),
      });
      if (result.stopped) {
        throw new MyelinError(
          'MYELIN_ERR_RUN_CANCELLED',
          `training stopped at epoch ${result.epochsRun} on request; the checkpoint ${checkpointRef(ctx.runId)} lets it resume`,
          { path: 'train' },
        );
      }
      const { modelJson, weights } = await serializeModel(model);
      const mj = await ctx.store.put(modelJson, { contentType: 'application/json' });
      const wb = await ctx.store.put(weights, { contentType: 'application/octet-stream' });
      return {
        modelJson: mj.key,
        weights: wb.key,
        history: await putJson(ctx.store, result.history),
        backend: backend.name,
        bestEpoch: result.bestEpoch,
        epochsRun: result.epochsRun,
        stoppedEarly: result.stoppedEarly,
        stopped: result.stopped,
        resumedFromEpoch: resumeFrom?.epoch ?? 0,
        samplesPerSec: result.samplesPerSec,
      };
    } finally {
      model.dispose();
    }
  },
};
