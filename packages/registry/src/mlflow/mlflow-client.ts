import { setTimeout as sleep } from 'node:timers/promises';
import { MyelinError } from '@myelin/errors';
import type { MlflowClientOptions } from './mlflow-client-options.js';
import { MLFLOW_INVALID_PARAMETER, MLFLOW_TIMEOUT, MLFLOW_UNREACHABLE, MlflowError } from './mlflow-error.js';
import type {
  MlflowErrorBody,
  MlflowExperiment,
  MlflowMetric,
  MlflowMetricValue,
  MlflowModelVersion,
  MlflowParam,
  MlflowRegisteredModel,
  MlflowRun,
  MlflowRunInfo,
  MlflowRunStatus,
  MlflowTag,
} from './mlflow-types.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
type Query = Record<string, string | number | undefined>;

/** The REST prefix of the tracking and registry API. */
export const MLFLOW_API = '/api/2.0/mlflow';
/** The REST prefix of the artifact proxy (`mlflow server` with `--serve-artifacts`, the 2.x default). */
export const MLFLOW_ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * A small typed client for the parts of the MLflow REST API 2.0 that the Myelin mirror uses:
 * experiments, runs (create, update, log-batch, set-tag, get, search), registered models, model
 * versions (create, search, set-tag), aliases, and artifact upload through the server's proxy.
 *
 * Every request with a body is JSON with `Content-Type: application/json` (MLflow refuses a POST
 * without it). A non-2xx answer becomes an `MlflowError` carrying MLflow's `error_code`, its
 * message and the HTTP status. Lookups answer `null` for "does not exist" instead of throwing.
 *
 * Why not an npm client: MLflow ships official clients for Python, Java and R only; the npm
 * packages are unofficial, untyped for errors, and decide retries themselves — the mirror must
 * never resend a create blindly (it looks up by Myelin id first). Node 20's `fetch` and ~250 lines
 * cover the sixteen endpoints needed.
 *
 * @example
 * const client = new MlflowClient({ uri: 'http://127.0.0.1:5000' });
 * const experimentId = await client.ensureExperiment('penguins');
 * const run = await client.createRun({ experimentId, runName: 'r-01h…', startTime: Date.now(), tags: [] });
 */
export class MlflowClient {
  readonly uri: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #artifactTimeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: MlflowClientOptions) {
    let url: URL;
    try {
      url = new URL(options.uri);
    } catch (e) {
      throw new MyelinError(
        'MYELIN_ERR_MLFLOW_CONFIG',
        `the MLflow tracking URI ${JSON.stringify(options.uri)} is not a URL; use e.g. http://mlflow:5000`,
        undefined,
        { cause: e },
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new MyelinError(
        'MYELIN_ERR_MLFLOW_CONFIG',
        `the MLflow tracking URI ${JSON.stringify(options.uri)} must be http:// or https:// (the mirror speaks the REST API)`,
      );
    }
    this.uri = url.href.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#artifactTimeoutMs = Math.max(this.#timeoutMs, options.artifactTimeoutMs ?? 120_000);
    this.#retries = Math.max(0, Math.floor(options.retries ?? 2));
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    this.#fetch = options.fetch ?? fetch;
  }

  // ── experiments ───────────────────────────────────────────────────────────────────────────

  /** The experiment with this name, or null. */
  async getExperimentByName(name: string): Promise<MlflowExperiment | null> {
    const r = await this.#orNull(
      this.#call<{ experiment: MlflowExperiment }>('GET', '/experiments/get-by-name', {
        query: { experiment_name: name },
      }),
    );
    return r?.experiment ?? null;
  }

  /** Creates an experiment; returns its id. Existing name: `RESOURCE_ALREADY_EXISTS`. */
  async createExperiment(name: string, tags?: MlflowTag[]): Promise<string> {
    const body = tags?.length ? { name, tags } : { name };
    const r = await this.#call<{ experiment_id: string }>('POST', '/experiments/create', { body });
    return r.experiment_id;
  }

  /** The id of the experiment with this name, created on first use (a concurrent create is fine). */
  async ensureExperiment(name: string): Promise<string> {
    const found = await this.getExperimentByName(name);
    if (found) return found.experiment_id;
    try {
      return await this.createExperiment(name);
    } catch (e) {
      if (!(e instanceof MlflowError && e.alreadyExists)) throw e;
      const again = await this.getExperimentByName(name);
      if (again) return again.experiment_id;
      throw e;
    }
  }

  // ── runs ──────────────────────────────────────────────────────────────────────────────────

  /** Creates a run (status RUNNING). */
  async createRun(input: {
    experimentId: string;
    runName?: string;
    startTime: number;
    tags?: MlflowTag[];
  }): Promise<MlflowRun> {
    const body: Record<string, unknown> = { experiment_id: input.experimentId };
    if (input.runName !== undefined) body.run_name = input.runName;
    body.start_time = input.startTime;
    if (input.tags?.length) body.tags = input.tags;
    return (await this.#call<{ run: MlflowRun }>('POST', '/runs/create', { body })).run;
  }

  /** Sets a run's status and end time. */
  async updateRun(input: {
    runId: string;
    status: MlflowRunStatus;
    endTime?: number;
  }): Promise<MlflowRunInfo> {
    const body: Record<string, unknown> = { run_id: input.runId, status: input.status };
    if (input.endTime !== undefined) body.end_time = input.endTime;
    return (await this.#call<{ run_info: MlflowRunInfo }>('POST', '/runs/update', { body })).run_info;
  }

  /**
   * Logs params, metrics and tags in one request. MLflow allows at most 100 params, 1000 metrics,
   * 100 tags and 1000 entries in all per request, and refuses to change a logged param
   * (`INVALID_PARAMETER_VALUE`); split with `logBatchChunks` first.
   */
  async logBatch(input: {
    runId: string;
    params?: MlflowParam[];
    metrics?: MlflowMetric[];
    tags?: MlflowTag[];
  }): Promise<void> {
    const body: Record<string, unknown> = { run_id: input.runId };
    if (input.params?.length) body.params = input.params;
    if (input.metrics?.length) body.metrics = input.metrics;
    if (input.tags?.length) body.tags = input.tags;
    await this.#call('POST', '/runs/log-batch', { body });
  }

  /** Logs one metric point. */
  async logMetric(input: { runId: string } & MlflowMetric): Promise<void> {
    const { runId, ...m } = input;
    await this.#call('POST', '/runs/log-metric', {
      body: { run_id: runId, key: m.key, value: m.value, timestamp: m.timestamp, step: m.step },
    });
  }

  /** Sets (or overwrites) a run tag. */
  async setRunTag(runId: string, key: string, value: string): Promise<void> {
    await this.#call('POST', '/runs/set-tag', { body: { run_id: runId, key, value } });
  }

  /** A run with its data, or null. */
  async getRun(runId: string): Promise<MlflowRun | null> {
    const r = await this.#orNull(
      this.#call<{ run: MlflowRun }>('GET', '/runs/get', { query: { run_id: runId } }),
    );
    return r?.run ?? null;
  }

  /** One page of runs matching an MLflow search filter. */
  async searchRuns(input: {
    experimentIds: string[];
    filter?: string;
    maxResults?: number;
    orderBy?: string[];
    pageToken?: string;
  }): Promise<{ runs: MlflowRun[]; nextPageToken: string | null }> {
    const body: Record<string, unknown> = { experiment_ids: input.experimentIds };
    if (input.filter !== undefined) body.filter = input.filter;
    if (input.maxResults !== undefined) body.max_results = input.maxResults;
    if (input.orderBy !== undefined) body.order_by = input.orderBy;
    if (input.pageToken !== undefined) body.page_token = input.pageToken;
    const r = await this.#call<{ runs?: MlflowRun[]; next_page_token?: string }>('POST', '/runs/search', {
      body,
    });
    return { runs: r.runs ?? [], nextPageToken: r.next_page_token || null };
  }

  /** The first run of the experiment whose tag `key` equals `value` (e.g. `myelin.run_id`), or null. */
  async findRunByTag(experimentId: string, key: string, value: string): Promise<MlflowRun | null> {
    const { runs } = await this.searchRuns({
      experimentIds: [experimentId],
      filter: `tags.${quoteKey(key)} = ${quoteValue(value)}`,
      maxResults: 1,
    });
    return runs[0] ?? null;
  }

  // ── registered models and versions ────────────────────────────────────────────────────────

  /** Creates a registered model. Existing name: `RESOURCE_ALREADY_EXISTS`. */
  async createRegisteredModel(input: {
    name: string;
    description?: string;
    tags?: MlflowTag[];
  }): Promise<MlflowRegisteredModel> {
    const body: Record<string, unknown> = { name: input.name };
    if (input.description !== undefined) body.description = input.description;
    if (input.tags?.length) body.tags = input.tags;
    return (
      await this.#call<{ registered_model: MlflowRegisteredModel }>('POST', '/registered-models/create', {
        body,
      })
    ).registered_model;
  }

  /** A registered model (with its aliases), or null. */
  async getRegisteredModel(name: string): Promise<MlflowRegisteredModel | null> {
    const r = await this.#orNull(
      this.#call<{ registered_model: MlflowRegisteredModel }>('GET', '/registered-models/get', {
        query: { name },
      }),
    );
    return r?.registered_model ?? null;
  }

  /** Creates the registered model unless it exists (a concurrent create is fine). */
  async ensureRegisteredModel(input: {
    name: string;
    description?: string;
    tags?: MlflowTag[];
  }): Promise<void> {
    if (await this.getRegisteredModel(input.name)) return;
    try {
      await this.createRegisteredModel(input);
    } catch (e) {
      if (!(e instanceof MlflowError && e.alreadyExists)) throw e;
    }
  }

  /** Creates a model version; MLflow picks its number. */
  async createModelVersion(input: {
    name: string;
    source: string;
    runId?: string;
    tags?: MlflowTag[];
    description?: string;
  }): Promise<MlflowModelVersion> {
    const body: Record<string, unknown> = { name: input.name, source: input.source };
    if (input.runId !== undefined) body.run_id = input.runId;
    if (input.tags?.length) body.tags = input.tags;
    if (input.description !== undefined) body.description = input.description;
    return (
      await this.#call<{ model_version: MlflowModelVersion }>('POST', '/model-versions/create', { body })
    ).model_version;
  }

  /** One page of model versions matching a filter such as `name='penguins'`. */
  async searchModelVersions(input: {
    filter: string;
    maxResults?: number;
    pageToken?: string;
  }): Promise<{ modelVersions: MlflowModelVersion[]; nextPageToken: string | null }> {
    const r = await this.#call<{ model_versions?: MlflowModelVersion[]; next_page_token?: string }>(
      'GET',
      '/model-versions/search',
      { query: { filter: input.filter, max_results: input.maxResults, page_token: input.pageToken } },
    );
    return { modelVersions: r.model_versions ?? [], nextPageToken: r.next_page_token || null };
  }

  /**
   * The version of a registered model whose tag `key` equals `value` (e.g. `myelin.manifest`), or
   * null. Searches by name and matches the tag here: tag filters on model versions differ between
   * MLflow releases, a name filter does not.
   */
  async findModelVersionByTag(name: string, key: string, value: string): Promise<MlflowModelVersion | null> {
    let pageToken: string | undefined;
    do {
      const page = await this.searchModelVersions({
        filter: `name=${quoteValue(name)}`,
        ...(pageToken ? { pageToken } : {}),
      });
      const hit = page.modelVersions.find((v) => v.tags?.some((t) => t.key === key && t.value === value));
      if (hit) return hit;
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return null;
  }

  /** Sets (or overwrites) a model version tag. */
  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.#call('POST', '/model-versions/set-tag', { body: { name, version, key, value } });
  }

  /** Points an alias of a registered model at a version (moving it if it pointed elsewhere). */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.#call('POST', '/registered-models/alias', { body: { name, alias, version } });
  }

  /** Removes an alias. MLflow reads DELETE arguments from a JSON body, as for POST. */
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.#call('DELETE', '/registered-models/alias', { body: { name, alias } });
  }

  /**
   * The version an alias points at, or null. MLflow answers an unknown alias with 400
   * `INVALID_PARAMETER_VALUE` ("Registered model alias … not found."), not 404.
   */
  async getVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion | null> {
    try {
      const r = await this.#call<{ model_version: MlflowModelVersion }>('GET', '/registered-models/alias', {
        query: { name, alias },
      });
      return r.model_version;
    } catch (e) {
      if (e instanceof MlflowError && (e.doesNotExist || isUnknownAlias(e))) return null;
      throw e;
    }
  }

  // ── artifacts ─────────────────────────────────────────────────────────────────────────────

  /**
   * Uploads a file under a run's artifact root through the server's artifact proxy. Only runs whose
   * `artifact_uri` is `mlflow-artifacts:/…` are proxied; for others (the server writes to S3 or a
   * path the client must reach itself) nothing is sent and the answer is `false`.
   */
  async uploadArtifact(
    artifactUri: string | undefined,
    path: string,
    bytes: Uint8Array,
    contentType?: string,
  ): Promise<boolean> {
    const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(artifactUri ?? '');
    if (!m) return false;
    const rel = [...(m[1] ?? '').split('/'), ...path.split('/')]
      .filter(Boolean)
      .map(encodeURIComponent)
      .join('/');
    await this.#send('PUT', `${MLFLOW_ARTIFACTS_API}/${rel}`, {
      raw: bytes,
      contentType: contentType ?? 'application/octet-stream',
      timeoutMs: this.#artifactTimeoutMs,
    });
    return true;
  }

  /** The files and folders directly under `path` of a run's artifacts (`artifacts/list`). */
  async listArtifacts(
    runId: string,
    path?: string,
  ): Promise<{ path: string; is_dir: boolean; file_size?: number }[]> {
    const r = await this.#call<{ files?: { path: string; is_dir: boolean; file_size?: number }[] }>(
      'GET',
      '/artifacts/list',
      { query: { run_id: runId, path } },
    );
    return r.files ?? [];
  }

  // ── transport ─────────────────────────────────────────────────────────────────────────────

  async #orNull<T>(p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof MlflowError && e.doesNotExist) return null;
      throw e;
    }
  }

  #call<T = Record<string, never>>(
    method: Method,
    path: string,
    opts: { query?: Query; body?: unknown },
  ): Promise<T> {
    return this.#send<T>(method, `${MLFLOW_API}${path}`, opts);
  }

  async #send<T>(
    method: Method,
    path: string,
    opts: { query?: Query; body?: unknown; raw?: Uint8Array; contentType?: string; timeoutMs?: number },
  ): Promise<T> {
    const url = new URL(this.uri + path);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.#token) headers.Authorization = `Bearer ${this.#token}`;
    let body: string | Uint8Array | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['Content-Type'] = opts.contentType ?? 'application/octet-stream';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    const what = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#once<T>(method, url, headers, body, what, opts.timeoutMs ?? this.#timeoutMs);
      } catch (e) {
        if (!(e instanceof MlflowError) || attempt >= this.#retries || !this.#mayResend(method, e)) throw e;
        const base = this.#retryDelayMs * 2 ** attempt;
        await sleep(base / 2 + Math.random() * base);
      }
    }
  }

  /**
   * Reads may be resent; writes only when the connection was refused (nothing reached the
   * server). A request that timed out is not resent at once: a hung server would hold the caller
   * for every try (the outbox tries the row again later).
   */
  #mayResend(method: Method, e: MlflowError): boolean {
    if (!e.retryable || e.errorCode === MLFLOW_TIMEOUT) return false;
    if (method === 'GET') return true;
    const code = (e.cause as { cause?: { code?: string } } | undefined)?.cause?.code;
    return e.errorCode === MLFLOW_UNREACHABLE && code === 'ECONNREFUSED';
  }

  async #once<T>(
    method: Method,
    url: URL,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    what: string,
    timeoutMs: number,
  ): Promise<T> {
    let res: Response;
    const signal = AbortSignal.timeout(timeoutMs);
    let text: string;
    try {
      res = await this.#fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal,
      });
      // the timeout covers the body too: a server that sends headers and then hangs is caught
      text = await res.text().catch((e: unknown) => {
        if (signal.aborted) throw e;
        return '';
      });
    } catch (e) {
      const timedOut = (e as { name?: string }).name === 'TimeoutError' || signal.aborted;
      const reason = timedOut
        ? `no answer within ${timeoutMs} ms`
        : `${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message} (is the server at ${this.uri} running?)`;
      throw new MlflowError(timedOut ? MLFLOW_TIMEOUT : MLFLOW_UNREACHABLE, reason, 0, what, { cause: e });
    }
    if (res.ok) {
      if (!text) return {} as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        return {} as T;
      }
    }
    let parsed: Partial<MlflowErrorBody> | undefined;
    try {
      parsed = JSON.parse(text) as Partial<MlflowErrorBody>;
    } catch {
      parsed = undefined;
    }
    const code = typeof parsed?.error_code === 'string' ? parsed.error_code : `HTTP_${res.status}`;
    const message =
      typeof parsed?.message === 'string' ? parsed.message : text.slice(0, 300) || res.statusText;
    throw new MlflowError(code, message, res.status, what);
  }
}

/** Whether the error is MLflow's answer to an unknown alias (400 INVALID_PARAMETER_VALUE). */
export function isUnknownAlias(e: MlflowError): boolean {
  return e.errorCode === MLFLOW_INVALID_PARAMETER && /alias .* not found/i.test(e.mlflowMessage);
}

/** A metric value for the wire: NaN and ±Infinity become the strings MLflow accepts. */
export function toMetricValue(x: number): MlflowMetricValue {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}

/** A key in an MLflow search filter, back-quoted so dotted keys (`myelin.run_id`) work. */
function quoteKey(key: string): string {
  return `\`${key.replace(/`/g, '')}\``;
}

/** A string literal in an MLflow search filter. */
function quoteValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
