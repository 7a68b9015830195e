import type { TrainConfig } from './train-config.js';

/**
 * The learning rate of 1-based epoch `epoch` under `config.lrSchedule` (base = optimizer.learningRate):
 * - step: base · factor^⌊(epoch − 1) / every⌋
 * - exponential: base · decay^(epoch − 1)
 * - cosine: min + (base − min) · (1 + cos(π · (epoch − 1) / epochs)) / 2 (min defaults to 0;
 *   the last epoch still trains at a small positive rate)
 * - none: base
 *
 * @example
 * learningRateAt({ ...config, optimizer: { name: 'sgd', learningRate: 0.1 },
 *   lrSchedule: { type: 'step', every: 10, factor: 0.5 } }, 11); // 0.05
 */
export function learningRateAt(
  config: Pick<TrainConfig, 'optimizer' | 'lrSchedule' | 'epochs'>,
  epoch: number,
): number {
  const base = config.optimizer.learningRate;
  const s = config.lrSchedule;
  const e = epoch - 1;
  if (!s) return base;
  switch (s.type) {
    case 'step':
      return base * Math.pow(s.factor, Math.floor(e / Math.max(1, s.every)));
    case 'exponential':
      return base * Math.pow(s.decay, e);
    case 'cosine': {
      const min = s.minLearningRate ?? 0;
      return min + ((base - min) * (1 + Math.cos((Math.PI * e) / Math.max(1, config.epochs)))) / 2;
    }
  }
}
