/**
 * The shapes the status page reads from the queue API: the API server's own response types
 * (`@myelin/api-server/api-types`), imported as types only, so the page's bundle holds no server
 * code. Times are epoch milliseconds.
 */
import type {
  ChampionComparison as ServerChampionComparison,
  EvaluationGates,
  GateRecord,
  ModelDetail as ServerModelDetail,
  ModelListItem,
  RunDetail as ServerRunDetail,
  RunEvent as ServerRunEvent,
  RunList as ServerRunList,
  RunListItem,
  RunStatus as ServerRunStatus,
  RunStreamEnd,
  SubmittedRun as ServerSubmittedRun,
  TrialsResponse as ServerTrialsResponse,
  VerifyResponse,
} from '@myelin/api-server/api-types';
import type { Anomaly, ColumnProfile, TableReport } from '@myelin/data/config';
import type { EvaluationReport as TrainingEvaluationReport } from '@myelin/training/config';

export type {
  ApiErrorBody,
  ApiErrorDetail,
  RecordedError,
  StepStatus,
  VersionRecord,
  AliasChange,
} from '@myelin/api-server/api-types';

export type RunStatus = ServerRunStatus;
/** Every run status, in the order the page's filter lists them (exactly the server's, by type). */
export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const satisfies readonly RunStatus[];
// compiles only while RUN_STATUSES lists every status the server has
const _everyStatusListed: [Exclude<RunStatus, (typeof RUN_STATUSES)[number]>] extends [never] ? true : false =
  true;

/** A gate's verdict (`>= 0.95`, `<= champion 0.031 + 0.01`). */
export type GateResult = GateRecord;
/** The champion comparison of the evaluate step (`evaluate.compareTo`). */
export type ChampionComparison = ServerChampionComparison;
/** A run as `GET /api/runs` lists it. */
export type RunRecord = RunListItem;
/** A run as `GET /api/runs/:id` shows it. */
export type RunDetail = ServerRunDetail;
/** The training engine of a run. */
export type EngineSummary = NonNullable<RunDetail['engine']>;
type StoredEpoch = RunDetail['epochs'][number];
/** One epoch of training as the page draws it: a stored one, or one from the live event stream. */
export type EpochPoint = Pick<StoredEpoch, 'epoch' | 'metrics'> &
  Partial<Pick<StoredEpoch, 'step' | 'durationMs'>> & { epochs?: number };
/** `GET /api/runs`. */
export type RunList = ServerRunList;
/** `POST /api/runs` → 202. */
export type SubmittedRun = ServerSubmittedRun;
/** A live event of a run, or the stream's last message (`end`). */
export type RunEvent =
  ServerRunEvent | ({ type: 'end' } & Partial<Omit<RunStreamEnd, 'runId' | 'lastEventId'>>);
/** A model as `GET /api/models` lists it. */
export type ModelRecord = ModelListItem;
/** `GET /api/models/:name`. */
export type ModelDetail = ServerModelDetail;
/** `POST /api/models/:name/versions/:version/verify`. */
export type VerifyResult = VerifyResponse;
/** `GET /api/runs/:id/trials`. */
export type TrialsResponse = ServerTrialsResponse;
/** One trial of a run's hyperparameter search. */
export type TrialView = TrialsResponse['trials'][number];

/** The evaluation report stored by the evaluate step: training's report and the gate verdict. */
export type EvaluationReport = TrainingEvaluationReport & { gates?: EvaluationGates };
/** The validation report stored by the validate step. */
export type ValidationReport = TableReport;
export type { Anomaly, ColumnProfile };
