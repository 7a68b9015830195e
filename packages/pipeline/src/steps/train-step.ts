import {
  deserializeCheckpoint,
  encodeModelFile,
  initialModel,
  selectBackend,
  selectEngine,
  serializeCheckpoint,
  serializeModel,
  tfjsModelOf,
  trainModel,
  type CheckpointState,
  type EngineInfo,
  type TrainConfig,
} from '@myelin/training';
import { MyelinError } from '@myelin/errors';
import type { StepContext } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import type { TypedStep } from './step-definition.js';
import type { EngineRecord, TrainedOutputs, TrainOutputs } from './step-outputs.js';
import type { PipelineSpec } from '@myelin/spec';
import { runTune } from '../tune/run-tune.js';
import { inProcessTrials } from '../tune/in-process-trials.js';
import type { TrialRunner } from '../tune/trial-runner.js';
import { putJson } from '../util/json-artifacts.js';
import { unpackFloat32 } from '../util/float-pack.js';
import { floatPackBytes } from '../util/float-pack-handoff.js';

/** The named ref under which a run's latest training checkpoint is kept (resume reads it). */
export function checkpointRef(runId: string): string {
  return `checkpoints/${runId}/train/latest`;
}

/** Maps the spec's class weights (label → weight) onto class indices. */
function classWeightsFor(spec: PipelineSpec, classes: string[] | null): TrainConfig['classWeights'] {
  const cw = spec.train.classWeights;
  if (!cw || cw === 'balanced') return cw;
  if (!classes) return undefined;
  const out: Record<string, number> = {};
  for (const [label, w] of Object.entries(cw)) {
    const i = classes.indexOf(label);
    if (i >= 0) out[String(i)] = w;
  }
  return out;
}

/** What a model version records about the engine that trained it. */
export function engineRecord(info: EngineInfo): EngineRecord {
  return { name: info.engine, version: info.version, device: info.device, threads: info.threads };
}

/** How one training of a spec runs: the main train step, or one trial of a search. */
export interface TrainWithSpecOptions {
  /** The named ref of this training's latest checkpoint (resume reads it). */
  checkpointRef: string;
  /** Torch intra-op threads; the engine's default when omitted. */
  threads?: number;
  /** Set for a trial: epochs go to `onEpoch` (not to the run's events), `shouldStop` can end it early. */
  trial?: {
    /** Awaited before the next epoch (a shared ASHA rung board answers over Redis). */
    onEpoch(epoch: number, metrics: Record<string, number>): void | Promise<void>;
    shouldStop(): boolean;
  };
}

/** What one training gave: the step's outputs, or null when it was stopped before its end. */
export interface TrainedSpec {
  outputs: TrainedOutputs | null;
  epochsRun: number;
  history: { epoch: number; metrics: Record<string, number> }[];
}

/**
 * Trains `spec`'s model on the run's encoded training split (the preprocess step's outputs in
 * `ctx`), with checkpoints under `o.checkpointRef` and resume from the latest one, and stores the
 * model files. The train step and every tune trial run through here.
 */
export async function trainWithSpec(
  ctx: StepContext,
  spec: PipelineSpec,
  o: TrainWithSpecOptions,
): Promise<TrainedSpec> {
  const gpu = (spec.train.resources?.gpu ?? 0) >= 1;
  // the encoded split is read while the engine loads (libtorch's load and self-test block this
  // thread; the read runs on libuv's pool): both are the step's fixed cost before the first epoch.
  // The preprocess step of this process hands over its bytes when it still holds them
  const [bytes, engine] = await Promise.all([
    floatPackBytes(ctx.store, input(ctx, 'preprocess', 'tensors')),
    selectEngine({
      requireGpu: gpu,
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      log: (m) => ctx.log(m),
    }),
  ]);
  const packed = unpackFloat32(bytes);
  if (!o.trial) ctx.emit({ type: 'engine', step: 'train', engine: engine.info });
  // tfjs builds the seeded initial weights and the served model on every engine
  if (engine.info.engine === 'torch') await selectBackend({ log: (m) => ctx.log(m) });
  const task = input(ctx, 'preprocess', 'task');
  const classes = input(ctx, 'preprocess', 'classes');
  const inputShape = input(ctx, 'preprocess', 'inputShape');
  const xt = packed.x_train!;
  const yt = packed.y_train!;
  const xv = packed.x_validation!;
  const yv = packed.y_validation!;
  const start = initialModel({
    layers: spec.model.layers,
    task,
    inputShape,
    ...(classes ? { numClasses: classes.length } : {}),
    ...(spec.model.output ? { output: spec.model.output } : {}),
    seed: spec.train.seed,
  });
  const t = spec.train;
  const classWeights = classWeightsFor(spec, classes);
  const config: TrainConfig = {
    epochs: t.epochs,
    batchSize: t.batchSize,
    optimizer: t.optimizer,
    seed: t.seed,
    checkpointEvery: t.checkpointEvery,
    ...(t.earlyStopping ? { earlyStopping: t.earlyStopping } : {}),
    ...(t.lrSchedule ? { lrSchedule: t.lrSchedule } : {}),
    ...(t.clipNorm !== undefined ? { clipNorm: t.clipNorm } : {}),
    ...(t.clipValue !== undefined ? { clipValue: t.clipValue } : {}),
    ...(classWeights ? { classWeights } : {}),
  };
  let resumeFrom: CheckpointState | undefined;
  const ref = await ctx.store.getRef(o.checkpointRef);
  if (ref) {
    resumeFrom = deserializeCheckpoint(await ctx.store.getBytes(ref));
    ctx.log(
      `resuming ${o.trial ? 'this trial' : "this run's training"} from its checkpoint of epoch ${resumeFrom.epoch} (written by the ${resumeFrom.engine} engine, ` +
        `kept when the step was stopped or its process died): epochs 1–${resumeFrom.epoch} are not trained again`,
      { notice: true },
    );
    // the checkpoint carries the curve up to its epoch: record it again (an upsert), so an epoch
    // whose metrics were lost with a killed process leaves no gap
    if (!o.trial)
      await Promise.all(
        resumeFrom.history.map((e) =>
          ctx.meta.recordEpoch({
            runId: ctx.runId,
            step: 'train',
            epoch: e.epoch,
            metrics: e.metrics,
            durationMs: e.durationMs,
          }),
        ),
      );
  }
  const result = await trainModel({
    engine,
    model: start,
    x: xt.data,
    y: yt.data,
    xShape: [xt.shape[0]!, xt.shape[1]!],
    yShape: [yt.shape[0]!, yt.shape[1]!],
    ...(xv.shape[0]! > 0 ? { validation: { x: xv.data, y: yv.data, n: xv.shape[0]! } } : {}),
    config,
    task,
    ...(classes ? { classes: classes.length } : {}),
    onEpoch: (e) => {
      if (o.trial) return o.trial.onEpoch(e.epoch, e.metrics);
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
        // a trainer whose job lock was lost (its worker was declared dead) must not write
        await ctx.fence();
        const { key } = await ctx.store.put(serializeCheckpoint(state));
        await ctx.store.putRef(o.checkpointRef, key);
      },
    },
    ...(resumeFrom ? { resumeFrom } : {}),
    shouldStop: () => ctx.shouldStop() || (o.trial?.shouldStop() ?? false),
    log: (m) => ctx.log(m),
  });
  if (result.stopped) return { outputs: null, epochsRun: result.epochsRun, history: result.history };
  const kept = earlyStoppingNotice(spec.train, result);
  if (kept) ctx.log(kept, { notice: !o.trial });
  const served = tfjsModelOf(result.model);
  try {
    const { modelJson, weights } = await serializeModel(served);
    // four independent artifacts: written together, so their flushes to disk overlap
    const [modelFile, mj, wb, history] = await Promise.all([
      ctx.store.put(
        encodeModelFile(result.model, { engine: result.engine.engine, engineVersion: result.engine.version }),
        { contentType: 'application/octet-stream' },
      ),
      ctx.store.put(modelJson, { contentType: 'application/json' }),
      ctx.store.put(weights, { contentType: 'application/octet-stream' }),
      putJson(ctx.store, result.history),
    ]);
    const outputs: TrainedOutputs = {
      model: modelFile.key,
      modelJson: mj.key,
      weights: wb.key,
      history,
      engine: engineRecord(result.engine),
      backend: result.engine.engine === 'torch' ? `torch:${result.engine.device}` : result.engine.device,
      bestEpoch: result.bestEpoch,
      ...(result.restoredEpoch !== undefined ? { restoredEpoch: result.restoredEpoch } : {}),
      epochsRun: result.epochsRun,
      stoppedEarly: result.stoppedEarly,
      stopped: result.stopped,
      resumedFromEpoch: resumeFrom?.epoch ?? 0,
      samplesPerSec: result.samplesPerSec,
    };
    return { outputs, epochsRun: result.epochsRun, history: result.history };
  } finally {
    served.dispose();
  }
}

/**
 * Trains the model from `model.layers` on the encoded training split, validating on the
 * validation split, on the engine `selectEngine` picks (torch when its addon is built, else
 * tfjs), with checkpoints to the artifact store and resume from the latest one. Writes the
 * engine-neutral model file (`model.safetensors`: the plan and the weights) and, produced from
 * it, the tfjs layers model (`model.json` + `weights.bin`) the server and browsers load. With a
 * `tune:` section it runs the search's trials in lanes in this process (see `trainStepWith`).
 */
export const trainStep: TypedStep<'train'> = {
  name: 'train',
  async cacheKey(ctx) {
    const { resources: _resources, retry: _retry, ...train } = ctx.spec.train;
    return {
      model: ctx.spec.model,
      train,
      ...(ctx.spec.tune ? { tune: ctx.spec.tune } : {}),
      engine: process.env.MYELIN_ENGINE ?? 'auto',
      backend: process.env.MYELIN_BACKEND ?? 'auto',
    };
  },
  async run(ctx: StepContext): Promise<TrainOutputs> {
    if (ctx.spec.tune) return runTune(ctx, ctx.spec.tune, inProcessTrials);
    const cpu = ctx.spec.train.resources?.cpu;
    const trained = await trainWithSpec(ctx, ctx.spec, {
      checkpointRef: checkpointRef(ctx.runId),
      ...(cpu !== undefined ? { threads: cpu } : {}),
    });
    if (!trained.outputs) {
      throw new MyelinError(
        'MYELIN_ERR_RUN_CANCELLED',
        `training stopped at epoch ${trained.epochsRun} on request; the checkpoint ${checkpointRef(ctx.runId)} lets it resume`,
        { path: 'train' },
      );
    }
    return trained.outputs;
  },
};

/**
 * The train step with a search's trials run by `trials`: a queue worker passes the records its
 * trial jobs returned (`collectedTrials`), so the step picks the best of them instead of training.
 */
export function trainStepWith(trials: TrialRunner): TypedStep<'train'> {
  return {
    ...trainStep,
    run: (ctx) => (ctx.spec.tune ? runTune(ctx, ctx.spec.tune, trials) : trainStep.run(ctx)),
  };
}

/**
 * What early stopping did, for the person running the pipeline: when training stopped and which
 * epoch's weights the model keeps; undefined when it ran every epoch and kept the last.
 */
export function earlyStoppingNotice(
  train: { epochs: number; earlyStopping?: { monitor?: string; patience: number } | undefined },
  result: { epochsRun: number; stoppedEarly: boolean; restoredEpoch?: number | undefined },
): string | undefined {
  const es = train.earlyStopping;
  const weights =
    result.restoredEpoch !== undefined
      ? `kept the weights of epoch ${result.restoredEpoch}, the best${es?.monitor ? ` ${es.monitor}` : ''} (restoreBestWeights)`
      : `kept the weights of the last epoch, ${result.epochsRun}`;
  if (result.stoppedEarly)
    return `early stopping: stopped after epoch ${result.epochsRun} of ${train.epochs}, ${es?.monitor ?? 'the monitored metric'} did not improve for ${es?.patience ?? '?'} epochs; ${weights}`;
  if (result.restoredEpoch !== undefined) return `early stopping: ran all ${result.epochsRun} epochs; ${weights}`;
  return undefined;
}
