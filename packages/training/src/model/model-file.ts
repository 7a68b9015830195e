import { MyelinError } from '@myelin/errors';
import type { NamedArray } from '../train/checkpoint-state.js';
import type { ModelPlan } from './model-plan.js';
import { checkWeights } from './model-weights.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

/** A model as every engine sees it: the plan and its weights under canonical names (see `weightSpecs`). */
export interface ModelDefinition {
  plan: ModelPlan;
  weights: NamedArray[];
}

/** The file name of a model version's engine-neutral model. */
export const MODEL_FILE_NAME = 'model.safetensors';

/** `__metadata__.format` of a Myelin model file. */
export const MODEL_FILE_FORMAT = 'myelin.model.v1';

const KINDS = new Set(['dense', 'dropout', 'batchNormalization', 'conv2d', 'maxPooling2d', 'flatten']);

function malformed(detail: string): MyelinError {
  return new MyelinError('MYELIN_ERR_ARTIFACT_INTEGRITY', `model file is malformed: ${detail}`);
}

function parsePlan(text: string | undefined): ModelPlan {
  if (text === undefined) throw malformed('__metadata__ has no plan');
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw malformed('__metadata__.plan is not JSON');
  }
  const p = plan as Partial<ModelPlan>;
  if (
    !p ||
    p.formatVersion !== 1 ||
    !Array.isArray(p.inputShape) ||
    !Array.isArray(p.layers) ||
    !p.layers.every((l) => l && typeof l === 'object' && KINDS.has((l as { kind: string }).kind)) ||
    typeof p.outputs !== 'number' ||
    typeof p.loss !== 'string' ||
    typeof p.task !== 'string'
  ) {
    throw malformed('__metadata__.plan is not a version-1 model plan');
  }
  return p as ModelPlan;
}

/**
 * Encodes a model as a safetensors file: the weights (float32, canonical names and PyTorch
 * layouts, file order) and, in `__metadata__`, `format` = `myelin.model.v1` and `plan` = the
 * plan as JSON, plus any `extra` strings. Loadable by PyTorch as a state dict of the
 * equivalent `nn.Sequential` (images are flat NHWC rows; flatten runs in NHWC order).
 */
export function encodeModelFile(model: ModelDefinition, extra: Record<string, string> = {}): Uint8Array {
  checkWeights(model.plan, model.weights, 'the model');
  return writeSafetensors(
    model.weights.map((w) => ({ name: w.name, shape: w.shape, data: w.data })),
    { ...extra, format: MODEL_FILE_FORMAT, plan: JSON.stringify(model.plan) },
  );
}

/**
 * Decodes a file written by `encodeModelFile`; the weights are checked against the plan.
 * @throws MYELIN_ERR_ARTIFACT_INTEGRITY when the bytes are not such a file.
 */
export function decodeModelFile(bytes: Uint8Array): ModelDefinition & { metadata: Record<string, string> } {
  const file = readSafetensors(bytes);
  if (file.metadata['format'] !== MODEL_FILE_FORMAT) {
    throw malformed(
      `__metadata__.format is ${JSON.stringify(file.metadata['format'] ?? null)}, expected ${MODEL_FILE_FORMAT}`,
    );
  }
  const plan = parsePlan(file.metadata['plan']);
  const weights: NamedArray[] = file.tensors.map((t) => ({
    name: t.name,
    shape: t.shape,
    dtype: 'float32',
    data: t.data,
  }));
  checkWeights(plan, weights, 'the model file');
  return { plan, weights, metadata: file.metadata };
}
