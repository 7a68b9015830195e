/** The values one trial sets, by tune path (`train.optimizer.learningRate` → 0.003). */
export type TrialParams = Record<string, number | string | boolean>;
