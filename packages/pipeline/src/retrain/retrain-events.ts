/** Run event types retraining appends to the runs it starts (the chain the status page shows). */
export const RETRAIN_EVENTS = {
  /** A retraining run started; payload: { trigger, model?, version?, feature?, metric?, score?, threshold?, parentRunId?, driftEventId?, schedule? }. */
  started: 'retrain.started',
  /** How the run's version was rolled out, or why not; payload: { outcome, model?, version?, strategy?, detail }. */
  deployed: 'retrain.deployed',
} as const;
