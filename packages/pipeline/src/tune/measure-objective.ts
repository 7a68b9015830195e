import { computeMetrics, loadModelFromBytes, predictBatches } from '@myelin/training';
import { MyelinError } from '@myelin/errors';
import type { StepContext, StepOutputs } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import { unpackFloat32 } from '../util/float-pack.js';
import { trueLabels } from '../steps/true-labels.js';

/**
 * The objective `metric` of a trained trial on the validation split (the test split stays for the
 * evaluate step, so picking the best trial does not look at it).
 */
export async function measureObjective(
  ctx: StepContext,
  trained: StepOutputs,
  metric: string,
): Promise<number> {
  const task = input(ctx, 'preprocess', 'task');
  const classes = input(ctx, 'preprocess', 'classes');
  const packed = unpackFloat32(await ctx.store.getBytes(input(ctx, 'preprocess', 'tensors')));
  const x = packed.x_validation!;
  const y = packed.y_validation!;
  const n = x.shape[0]!;
  if (n === 0) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      'tune measures trials on the validation split, which is empty; give data.split.validation a share',
      {
        path: 'data.split.validation',
      },
    );
  }
  const model = await loadModelFromBytes({
    modelJson: await ctx.store.getBytes(trained['modelJson'] as string),
    weights: await ctx.store.getBytes(trained['weights'] as string),
  });
  try {
    const yPred = predictBatches(model, x.data, n, x.shape[1]!, 256);
    const report = computeMetrics(task, trueLabels(task, y.data, y.shape[1]!), yPred, classes ?? undefined);
    const value = report.metrics[metric];
    if (value === undefined) {
      throw new MyelinError(
        'MYELIN_ERR_SPEC_INVALID',
        `tune.objective.metric ${metric} is not measured for a ${task} task`,
        {
          path: 'tune.objective.metric',
        },
      );
    }
    return value;
  } finally {
    model.dispose();
  }
}
