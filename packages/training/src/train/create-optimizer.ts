import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from './train-config.js';
import { optimizerField, setOptimizerNumber } from './optimizer-fields.js';

/**
 * A fresh tfjs optimizer for the `train.optimizer` section: sgd, momentum (`tf.train.momentum`,
 * momentum default 0.9), adam (β1 0.9, β2 0.999), rmsprop (decay 0.9, momentum default 0).
 * The caller owns it and must `dispose()` it.
 */
export function createOptimizer(config: OptimizerConfig): tf.Optimizer {
  const lr = config.learningRate;
  switch (config.name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, config.momentum ?? 0.9);
    case 'adam':
      return tf.train.adam(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr, 0.9, config.momentum ?? 0);
  }
}

/**
 * Changes an optimizer's learning rate in place. SGD and momentum cache −lr as a tensor and
 * need `setLearningRate`; adam and rmsprop read their (protected) `learningRate` field on every
 * step, so setting the field is enough.
 */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // Not `instanceof tf.SGDOptimizer`: tfjs optimizers answer `instanceof` for any optimizer.
  const sgd = optimizer as Partial<Pick<tf.SGDOptimizer, 'setLearningRate'>>;
  if (typeof sgd.setLearningRate === 'function') {
    sgd.setLearningRate(learningRate);
  } else {
    setOptimizerNumber(optimizer, 'learningRate', learningRate);
  }
}

/**
 * Disposes an optimizer and all its tensors. tfjs 4.22's `MomentumOptimizer.dispose` forgets the
 * −lr scalar it inherits from SGD (one leaked tensor per optimizer); this releases it too.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = optimizerField(optimizer, 'c');
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}
