/** Losses the model builder accepts and the trainer implements (tfjs / Keras names). */
export const LOSS_NAMES = [
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
] as const;

/** A supported loss name. */
export type LossName = (typeof LOSS_NAMES)[number];

/** Whether `name` is a supported loss. */
export function isLossName(name: string): name is LossName {
  return (LOSS_NAMES as readonly string[]).includes(name);
}
