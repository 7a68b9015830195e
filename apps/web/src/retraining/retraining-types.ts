/** A pipeline schedule as `GET /api/schedules` lists it. */
export interface ScheduleView {
  pipeline: string;
  cron: string;
  timezone: string;
  nextFireAt: number;
  updatedAt: number;
}

/** One event of a retraining's chain (retrain.started, serving.deploy.*, retrain.deployed). */
export interface ChainEvent {
  type: string;
  ts: number;
  payload: Record<string, unknown> | null;
}

/** A drift event the retrain controller handled, as `GET /api/retraining` lists it. */
export interface RetrainTriggerView {
  eventId: number;
  model: string;
  version: number;
  parentRunId: string | null;
  pipeline: string | null;
  decision: 'started' | 'skipped' | 'failed';
  reason: string;
  runId: string | null;
  createdAt: number;
  run: {
    id: string;
    status: string;
    gates: Record<string, { passed: boolean }>;
    version: number | null;
  } | null;
  chain: ChainEvent[];
}
