import type { RetrainControllerOptions, RunReconcilerOptions, Stack } from '@myelin/pipeline';
import type { ApiToken } from './auth/api-token.js';

/** Options of {@link buildApiServer}. */
export interface ApiOptions {
  /** Where runs go and records are read: the configured stack. The server never closes it. */
  stack: Stack;
  /**
   * Bearer tokens with their scopes. Empty: no authentication (every request is allowed), which
   * `startApi` only accepts on a loopback address unless `insecure` is set.
   * @defaultValue [] (see `apiTokensFromEnv` for `MYELIN_API_TOKENS`)
   */
  tokens?: ApiToken[];
  /**
   * Largest accepted request body in bytes (413 above it). Pipeline text is itself limited to
   * 1 MiB by the spec parser.
   * @defaultValue 1_310_720 (1.25 MiB)
   */
  bodyLimit?: number;
  /**
   * Requests per client (per token, else per IP address) and time window; `false` turns rate
   * limiting off. `/healthz`, `/readyz` and `/metrics` are never limited.
   * @defaultValue { max: 600, timeWindow: 60_000 }
   */
  rateLimit?: { max: number; timeWindow: number } | false;
  /**
   * The tighter limit of `POST /api/models/:name/versions/:version/verify` (it re-hashes every file
   * of a version, and a `read` token may ask): requests per client and window, on top of
   * `rateLimit` (off when `rateLimit` is false). Verifies of the same version at once share one
   * hashing pass whatever the limit.
   * @defaultValue { max: 6, timeWindow: 60_000 }
   */
  verifyRateLimit?: { max: number; timeWindow: number };
  /**
   * The one folder runs submitted through the API read files from: relative data paths resolve
   * against it (or a request's `baseDir` inside it), `npm:` sources are looked up from it, and a
   * `data.source` or `validate.schema` outside it is refused with 400 before the run is accepted.
   * @defaultValue process.cwd()
   */
  pipelinesDir?: string;
  /**
   * Folder of the built status page, served at `/` when it exists.
   * @defaultValue apps/web/dist of this repository
   */
  webDir?: string;
  /**
   * How often the event stream polls the metadata store for new events, in milliseconds.
   * @defaultValue 200
   */
  eventPollMs?: number;
  /**
   * How often the event stream sends a `: ping` comment to keep proxies from closing it, in ms.
   * @defaultValue 15_000
   */
  heartbeatMs?: number;
  /**
   * On a queue stack (Redis configured), the run reconciler this server takes part in (one process
   * of all APIs and workers leads, see `RunReconciler`): runs whose jobs Redis lost are re-enqueued
   * from their last finished step or failed saying why, whichever process submitted them.
   * `false`: this server never reconciles. @defaultValue {} (every 10 s)
   */
  reconcile?:
    false | Pick<RunReconcilerOptions, 'intervalMs' | 'submitGraceMs' | 'startGraceMs' | 'maxRequeues'>;
  /**
   * Retraining (see `RetrainController`): the schedules of submitted pipelines fire here (BullMQ job
   * schedulers on a queue stack, exactly once among all API processes; timers in this process on the
   * embedded stack), and the model servers' drift events start retraining runs of pipelines with
   * `monitor.retrain.onDrift`. `false`: this server neither records nor fires schedules, nor
   * retrains on drift. @defaultValue {} (cooldown 1 h, polled every 2 s)
   */
  retrain?: false | Pick<RetrainControllerOptions, 'cooldownMs' | 'pollMs' | 'maxEventAgeMs' | 'clock'>;
  /**
   * Fastify's logger: `false` for none, `true` for JSON lines on stdout.
   * @defaultValue false
   */
  logger?: boolean;
}
