/**
 * The response bodies of the queue API, for its clients (the status page in `apps/web`, scripts).
 * Types only, no runtime code: a browser bundle imports them with `import type` and pulls no server
 * code (`@myelin/api-server/api-types`). The routes declare their handlers' results with them, so
 * a field a route drops or renames is a compile error on both sides. Times are epoch milliseconds.
 */
import type {
  AliasChange,
  GateRecord,
  ModelDetail as RegistryModelDetail,
  RecordedError,
  RecordedTrial,
  RunStatus,
  RunTrials,
  StepStatus,
  VersionRecord,
} from '@myelin/registry';
import type { ChampionComparison, GateResult, RunEvent } from '@myelin/pipeline';
import type { runDetailView, runView } from './routes/run-view.js';

export type {
  AliasChange,
  ChampionComparison,
  GateRecord,
  RecordedError,
  RecordedTrial,
  RunEvent,
  RunStatus,
};
export type { StepStatus, VersionRecord };
/** The gate verdict the evaluate step stores beside its evaluation report (`GET /api/runs/:id/evaluation`). */
export type EvaluationGates = GateResult;
export type { ApiErrorBody, ApiErrorDetail } from './errors/api-error-body.js';
export type { RunStreamEnd, StreamedRunEvent } from './client/api-client.js';

/** A run as `GET /api/runs` lists it. */
export type RunListItem = ReturnType<typeof runView>;
/** A run as `GET /api/runs/:id` shows it: its steps, epochs, test metrics, gates and model. */
export type RunDetail = ReturnType<typeof runDetailView>;

/** `GET /api/runs`. */
export interface RunList {
  runs: RunListItem[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

/** `POST /api/runs` → 202. */
export interface SubmittedRun {
  runId: string;
  pipeline: string;
  specHash: string;
  source: 'spec' | 'pipeline';
  /** The folder relative data paths resolve against. */
  dataDir: string;
  links: { run: string; events: string; cancel: string };
}

/** A model as `GET /api/models` lists it. */
export interface ModelListItem {
  name: string;
  createdAt: number;
  latestVersion: number | null;
  /** alias → version */
  aliases: Record<string, number>;
}

/** `GET /api/models`. */
export interface ModelList {
  models: ModelListItem[];
}

/** `GET /api/models/:name`: its versions, aliases and every alias move, oldest first. */
export interface ModelDetail extends RegistryModelDetail {
  aliasHistory: AliasChange[];
}

/** `GET /api/runs/:id/trials`: the tune trials of a run (none for a run without `tune:`). */
export interface TrialsResponse extends RunTrials {
  runId: string;
}

/** `POST /api/models/:name/versions/:version/verify`: every file of the version re-hashed. */
export interface VerifyResponse {
  ok: boolean;
  model: string;
  version: number;
  /** The manifest's key. */
  manifest: string;
  problems: { file: string; key: string; problem: string }[];
}
