import type { MetadataStore } from '../metadata-store.js';
import type { MlflowArtifactSource } from './mlflow-artifact-source.js';
import type { MlflowClient } from './mlflow-client.js';
import type { MlflowOutbox } from './mlflow-outbox.js';

/** Options of `createMlflowMirror`. */
export interface MlflowMirrorOptions {
  /** The tracking server, e.g. `MYELIN_MLFLOW_URI` or the stack file's `mlflow.uri`. Required. */
  uri: string;
  /** The metadata store the mirror reads runs, epochs and versions from. Required. */
  meta: MetadataStore;
  /**
   * The artifact store: gives version sources (`locate`) and the bytes of each version's files
   * (its manifest and every file the manifest lists) and of a run's manifest and evaluation report
   * for the upload. @defaultValue undefined (sources fall back to the MLflow run's artifact folder
   * or `myelin:<model>@<version>`; nothing is uploaded)
   */
  store?: MlflowArtifactSource;
  /**
   * Where deliveries wait: the outbox rows of this tracking server. @defaultValue
   * `MlflowOutbox.forStore(meta, client.uri)` (the same database)
   */
  outbox?: MlflowOutbox;
  /** The MLflow client. @defaultValue `new MlflowClient({ uri, token })` */
  client?: MlflowClient;
  /** Bearer token for the tracking server. @defaultValue undefined */
  token?: string;
  /**
   * Turns a run's stored spec text into the resolved spec (every default applied) whose leaves
   * become MLflow params; the pipeline passes `(text) => parseSpec(text, 'pipeline.yaml').spec`.
   * @defaultValue JSON.parse (a YAML spec then gets no params and a `myelin.params` tag saying why)
   */
  resolveSpec?: (specText: string) => unknown;
  /** The `myelin.code_version` tag of runs that registered no version. @defaultValue undefined (no tag) */
  codeVersion?: string;
  /** Deliveries in flight at once. @defaultValue 4 */
  concurrency?: number;
  /** Tries of one row before it is marked failed (`myelin mlflow sync` tries it again). @defaultValue 12 */
  maxAttempts?: number;
  /** First wait before a failed row is tried again, doubled per try. @defaultValue 1000 */
  retryBaseMs?: number;
  /** Longest wait between tries of a row. @defaultValue 300000 (5 minutes) */
  retryMaxMs?: number;
  /** How long a flusher holds a row it is delivering before another process may take it. @defaultValue 120000 */
  leaseMs?: number;
  /**
   * Flush in the background: soon after every hook, and again when the next retry is due
   * (timers are unref'd and never keep the process alive). @defaultValue true
   */
  backgroundFlush?: boolean;
  /**
   * Upload each version's files to `model/` of its MLflow run (then the version's `source`), and
   * each run's manifest and evaluation report, when the server proxies artifacts. @defaultValue true
   */
  uploadArtifacts?: boolean;
  /** Called with every error a hook or a background flush swallowed. @defaultValue undefined (kept for `status()`) */
  onError?: (error: unknown) => void;
}
