import type {
  AliasActor,
  ListEventsQuery,
  ListRunsQuery,
  NewEpoch,
  NewRun,
  NewVersion,
  RunPatch,
  StepPatch,
  StepResult,
} from './metadata-inputs.js';
import type {
  AliasChange,
  EpochRecord,
  JsonValue,
  ModelDetail,
  ModelRecord,
  PipelineRecord,
  RunEvent,
  RunRecord,
  RunStatus,
  RunWithSteps,
  StepRecord,
  VersionRecord,
} from './metadata-records.js';

/**
 * The metadata store port: runs, steps, epoch metrics, run events, models, versions, aliases.
 * One implementation (`KyselyMetadataStore`) serves the embedded SQLite file and a database server;
 * every method is safe to call from several processes at once.
 *
 * Errors: unknown run/model/version/alias → `MYELIN_ERR_REGISTRY_NOT_FOUND`;
 * any other database failure → `MYELIN_ERR_REGISTRY` (the cause is kept).
 *
 * @example
 * const store = await openEmbeddedMetadataStore({ dir: '.myelin' });
 * const run = await store.createRun({ pipeline: 'penguins', trigger: 'cli', specHash, specText });
 * const { version } = await store.registerVersion({ model: 'penguins', manifestKey, ..., aliases: ['candidate'], who: 'cli' });
 */
export interface MetadataStore {
  /** `sqlite` or `postgres`. */
  readonly dialect: string;
  /** Where the store is, for logs, e.g. `sqlite:/abs/.myelin/metadata.db`. */
  describe(): string;

  /** Creates a run (and its pipeline on first sight, recording the spec hash as the latest). */
  createRun(input: NewRun): Promise<RunRecord>;
  /** Changes a run's status, times, error or summary. Unknown id: NOT_FOUND. */
  updateRun(id: string, patch: RunPatch): Promise<RunRecord>;
  /** A run with its steps, or null. */
  getRun(id: string): Promise<RunWithSteps | null>;
  /** Runs newest first, one page; pass `nextCursor` back for the next page (null: no more). */
  listRuns(query?: ListRunsQuery): Promise<{ runs: RunRecord[]; nextCursor: string | null }>;
  /**
   * The status of each run of `ids` there is (at most 500 ids), without the rest of its record:
   * what a process following many runs asks at every poll.
   */
  runStatuses(ids: readonly string[]): Promise<Map<string, RunStatus>>;
  /** Every pipeline, by name. */
  listPipelines(): Promise<PipelineRecord[]>;

  /** Creates the step (status pending unless given) or updates the given fields. Unknown run: NOT_FOUND. */
  upsertStep(runId: string, name: string, patch?: StepPatch): Promise<StepRecord>;
  /** Marks the step running: attempt + 1, startedAt now, finishedAt and error cleared. */
  startStep(runId: string, name: string): Promise<StepRecord>;
  /** Records how a step ended (finishedAt now). */
  finishStep(runId: string, name: string, result: StepResult): Promise<StepRecord>;
  /**
   * A worker's heartbeat for a running step (sent each time it renews the job's lock): the step is
   * held for `leaseMs` more (`leaseUntil` = now + leaseMs). A step that is not running, or does not
   * exist, is left alone.
   */
  heartbeatStep(runId: string, name: string, leaseMs: number): Promise<void>;
  /** Appends text to the step's log (creating the step as pending if needed). */
  appendStepLog(runId: string, name: string, text: string): Promise<void>;

  /** Records one epoch; the same (run, step, epoch) again replaces the earlier record. */
  recordEpoch(input: NewEpoch): Promise<void>;
  /** Epochs of a run (optionally one step), by step then epoch. */
  listEpochs(runId: string, step?: string): Promise<EpochRecord[]>;

  /** Appends an event to a run's stream. Unknown run: NOT_FOUND. */
  appendEvent(runId: string, type: string, payload?: JsonValue): Promise<RunEvent>;
  /** Events in id order, after `afterId`. */
  listEvents(query?: ListEventsQuery): Promise<RunEvent[]>;

  /**
   * In one transaction: creates the model if missing, takes the next version number, records the
   * version and points `aliases` at it (recording the history). Registering the same
   * (model, manifestKey) again returns the existing version with `created: false`.
   */
  registerVersion(input: NewVersion): Promise<{ version: VersionRecord; created: boolean }>;
  /** One version, or null. */
  getVersion(model: string, version: number): Promise<VersionRecord | null>;
  /** The version registered with this manifest key, or null. */
  findVersionByManifest(model: string, manifestKey: string): Promise<VersionRecord | null>;
  /** The version an alias points at, or null. */
  resolveAlias(model: string, alias: string): Promise<number | null>;
  /** Points an alias at a version (recorded in the history; unchanged: no-op). Unknown version: NOT_FOUND. */
  setAlias(model: string, alias: string, version: number, actor: AliasActor): Promise<void>;
  /** Removes an alias (recorded in the history). Unknown alias: NOT_FOUND. */
  removeAlias(model: string, alias: string, actor: AliasActor): Promise<void>;
  /** Alias moves of a model (optionally one alias), oldest first. */
  aliasHistory(model: string, alias?: string): Promise<AliasChange[]>;
  /** Every model, by name. */
  listModels(): Promise<ModelRecord[]>;
  /** A model with its versions and aliases, or null. */
  getModel(name: string): Promise<ModelDetail | null>;

  /** Closes the database connection(s). */
  close(): Promise<void>;
}
