import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MlflowMetric, MlflowModelVersion, MlflowParam, MlflowTag } from '../mlflow-types.js';
import {
  aliasProblem,
  batchLimitProblem,
  duplicateParamsProblem,
  experimentNameProblem,
  LIMITS,
  metricProblem,
  paramProblem,
  registryTagProblem,
  sourceProblem,
  tagProblem,
} from './mlflow-validation.js';

interface FakeRun {
  info: {
    run_uuid: string;
    run_id: string;
    experiment_id: string;
    run_name: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: string;
  };
  params: MlflowParam[];
  metrics: MlflowMetric[];
  tags: MlflowTag[];
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Options of the fake server. */
export interface FakeMlflowOptions {
  /**
   * Serve artifacts through the tracking server (`mlflow server --serve-artifacts`, the 2.x
   * default): runs get `mlflow-artifacts:/…` roots and PUTs under `/api/2.0/mlflow-artifacts/` are
   * kept. false: runs get `s3://fake-mlflow-artifacts/…` roots and the proxy answers 404.
   * @defaultValue true
   */
  proxyArtifacts?: boolean;
}

/**
 * A small in-memory MLflow tracking server and model registry on loopback that answers in the
 * shapes recorded from MLflow 2.10.2 (ids, `run.info`/`run.data`, `model_version`, error bodies)
 * and refuses what MLflow refuses, with MLflow's messages (see `mlflow-validation.ts`, transcribed
 * from `mlflow/utils/validation.py`): names outside `^[/\w.\- ]*$` or that a path normalisation
 * changes, keys over 250 characters, param values over 6,000 and tag values over 5,000, more than
 * 100 params or tags, 1,000 metrics or 1,000 entries or 1 MB in one batch, duplicate params in a
 * batch, changing a logged param, a local model-version source outside its run's artifacts,
 * reserved or malformed aliases, duplicate experiment or model names, unknown runs and models
 * (404), unknown aliases (400), a POST without Content-Type. A refused log-batch writes nothing.
 *
 * `goDown()` closes the port (connections are refused) until `comeBack()`; `hang()` keeps
 * accepting requests and never answers them until `stopHanging()`. `requests` keeps `METHOD path`
 * of every request it received, `refusals` every refusal it answered.
 */
export class FakeMlflowServer {
  readonly requests: string[] = [];
  readonly refusals: { request: string; status: number; code: string; message: string }[] = [];
  readonly experiments = new Map<string, { experiment_id: string; name: string }>();
  readonly runs = new Map<string, FakeRun>();
  readonly models = new Map<
    string,
    { name: string; description: string; tags: MlflowTag[]; aliases: Map<string, string> }
  >();
  readonly versions: (MlflowModelVersion & { tags: MlflowTag[] })[] = [];
  readonly artifacts = new Map<string, Buffer>();
  #server: Server | undefined;
  #port = 0;
  #sockets = new Set<Socket>();
  #next = 1;
  #hanging = false;
  readonly #proxy: boolean;

  constructor(options: FakeMlflowOptions = {}) {
    this.#proxy = options.proxyArtifacts ?? true;
  }

  get uri(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The refusals of what a request held (400 `INVALID_PARAMETER_VALUE`), lookups of missing things left out. */
  get invalid(): { request: string; status: number; code: string; message: string }[] {
    return this.refusals.filter((r) => r.code === 'INVALID_PARAMETER_VALUE');
  }

  /** How many requests were `METHOD path`. */
  count(request: string): number {
    return this.requests.filter((r) => r === request).length;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening: requests are refused until `comeBack`. State is kept. */
  async goDown(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  /** Listens again on the same port. */
  async comeBack(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    this.#hanging = false;
    await this.goDown();
  }

  /** From now on requests are read and never answered (a hung server), until `stopHanging`. */
  hang(): void {
    this.#hanging = true;
  }

  /** Answers again (requests received while hanging stay unanswered). */
  stopHanging(): void {
    this.#hanging = false;
  }

  /** The artifacts of a run under `path`, as `artifacts/list` answers. */
  artifactsOf(runId: string): string[] {
    const run = this.#run(runId);
    const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
    return [...this.artifacts.keys()]
      .filter((k) => k.startsWith(`${root}/`))
      .map((k) => k.slice(root.length + 1))
      .sort();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    if (this.#hanging) return; // never answered
    try {
      if ((method === 'POST' || method === 'PUT') && !req.headers['content-type']) {
        throw new Refusal(400, 'INVALID_PARAMETER_VALUE', 'Bad Request. Content-Type header is missing.');
      }
      if (url.pathname.startsWith('/api/2.0/mlflow-artifacts/artifacts/') && method === 'PUT') {
        if (!this.#proxy) throw new Refusal(404, 'ENDPOINT_NOT_FOUND', 'artifact proxying is off');
        this.artifacts.set(
          decodeURIComponent(url.pathname.slice('/api/2.0/mlflow-artifacts/artifacts/'.length)),
          raw,
        );
        return send(res, 200, {});
      }
      if (url.pathname === '/api/2.0/mlflow/runs/log-batch') {
        // `_validate_batch_log_api_req`
        if (raw.length > LIMITS.MAX_BATCH_LOG_REQUEST_SIZE)
          throw new Refusal(
            400,
            'INVALID_PARAMETER_VALUE',
            `Batched logging API requests must be at most ${LIMITS.MAX_BATCH_LOG_REQUEST_SIZE} bytes, got a request of size ${raw.length}.`,
          );
      }
      const body = (
        method === 'GET'
          ? Object.fromEntries(url.searchParams)
          : raw.length
            ? JSON.parse(raw.toString('utf8'))
            : {}
      ) as Record<string, unknown>;
      const route = `${method} ${url.pathname.replace('/api/2.0/mlflow', '')}`;
      send(res, 200, this.#route(route, body));
    } catch (e) {
      if (e instanceof Refusal) {
        this.refusals.push({
          request: `${method} ${url.pathname}`,
          status: e.status,
          code: e.code,
          message: e.message,
        });
        send(res, e.status, { error_code: e.code, message: e.message });
      } else send(res, 500, { error_code: 'INTERNAL_ERROR', message: String(e) });
    }
  }

  #route(route: string, b: Record<string, unknown>): unknown {
    const s = (k: string): string => String(b[k] ?? '');
    switch (route) {
      case 'GET /experiments/get-by-name': {
        const e = this.experiments.get(s('experiment_name'));
        if (!e)
          throw new Refusal(
            404,
            'RESOURCE_DOES_NOT_EXIST',
            `Could not find experiment with name '${s('experiment_name')}'`,
          );
        return {
          experiment: {
            ...e,
            artifact_location: `mlflow-artifacts:/${e.experiment_id}`,
            lifecycle_stage: 'active',
          },
        };
      }
      case 'POST /experiments/create': {
        invalid(experimentNameProblem(b.name));
        if (this.experiments.has(s('name')))
          throw new Refusal(400, 'RESOURCE_ALREADY_EXISTS', `Experiment(name=${s('name')}) already exists.`);
        const id = String(this.experiments.size + 1);
        this.experiments.set(s('name'), { experiment_id: id, name: s('name') });
        return { experiment_id: id };
      }
      case 'POST /runs/create': {
        for (const t of (b.tags as MlflowTag[]) ?? []) invalid(tagProblem(t.key, t.value));
        const id = `${'0'.repeat(28)}${String(this.#next++).padStart(4, '0')}`;
        const run: FakeRun = {
          info: {
            run_uuid: id,
            run_id: id,
            experiment_id: s('experiment_id'),
            run_name: s('run_name'),
            user_id: '',
            status: 'RUNNING',
            start_time: Number(b.start_time),
            artifact_uri: `${this.#proxy ? 'mlflow-artifacts:' : 's3://fake-mlflow-artifacts'}/${s('experiment_id')}/${id}/artifacts`,
            lifecycle_stage: 'active',
          },
          params: [],
          metrics: [],
          tags: [...((b.tags as MlflowTag[]) ?? []), { key: 'mlflow.runName', value: s('run_name') }],
        };
        this.runs.set(id, run);
        return { run: view(run) };
      }
      case 'GET /runs/get':
        return { run: view(this.#run(s('run_id'))) };
      case 'POST /runs/update': {
        const run = this.#run(s('run_id'));
        run.info.status = s('status');
        if (b.end_time !== undefined) run.info.end_time = Number(b.end_time);
        return { run_info: run.info };
      }
      case 'POST /runs/log-batch': {
        const params = (b.params as MlflowParam[]) ?? [];
        const metrics = (b.metrics as MlflowMetric[]) ?? [];
        const tags = (b.tags as MlflowTag[]) ?? [];
        // the order of SqlAlchemyStore.log_batch: data, limits, unique params, then the run
        for (const m of metrics) invalid(metricProblem(m));
        for (const p of params) invalid(paramProblem(p.key, p.value));
        for (const t of tags) invalid(tagProblem(t.key, t.value));
        invalid(batchLimitProblem('metrics', LIMITS.MAX_METRICS_PER_BATCH, metrics.length));
        invalid(batchLimitProblem('params', LIMITS.MAX_PARAMS_TAGS_PER_BATCH, params.length));
        invalid(batchLimitProblem('tags', LIMITS.MAX_PARAMS_TAGS_PER_BATCH, tags.length));
        invalid(
          batchLimitProblem(
            'metrics, params, and tags',
            LIMITS.MAX_ENTITIES_PER_BATCH,
            metrics.length + params.length + tags.length,
          ),
        );
        invalid(duplicateParamsProblem(params));
        const run = this.#run(s('run_id'));
        const changed = params.filter((p) => run.params.some((q) => q.key === p.key && q.value !== p.value));
        if (changed.length)
          throw new Refusal(
            400,
            'INVALID_PARAMETER_VALUE',
            `Changing param values is not allowed. Params were already logged='${JSON.stringify(changed)}' for run ID='${run.info.run_id}'.`,
          );
        for (const p of params) if (!run.params.some((q) => q.key === p.key)) run.params.push(p);
        run.metrics.push(...metrics);
        for (const t of tags) setTag(run.tags, t);
        return {};
      }
      case 'POST /runs/log-metric': {
        invalid(metricProblem(b));
        this.#run(s('run_id')).metrics.push({
          key: s('key'),
          value: b.value as number,
          timestamp: Number(b.timestamp),
          step: Number(b.step ?? 0),
        });
        return {};
      }
      case 'POST /runs/set-tag':
        invalid(tagProblem(b.key, b.value));
        setTag(this.#run(s('run_id')).tags, { key: s('key'), value: s('value') });
        return {};
      case 'GET /artifacts/list': {
        const run = this.#run(s('run_id'));
        const prefix = s('path') ? `${s('path').replace(/\/+$/, '')}/` : '';
        const files = this.artifactsOf(run.info.run_id)
          .filter((p) => p.startsWith(prefix))
          .map((p) => {
            const rest = p.slice(prefix.length);
            const dir = rest.includes('/');
            const path = prefix + (dir ? rest.slice(0, rest.indexOf('/')) : rest);
            const bytes = this.artifacts.get(
              `${run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '')}/${p}`,
            );
            return dir ? { path, is_dir: true } : { path, is_dir: false, file_size: bytes?.length ?? 0 };
          })
          .filter((f, i, all) => all.findIndex((g) => g.path === f.path) === i);
        return files.length
          ? { root_uri: run.info.artifact_uri, files }
          : { root_uri: run.info.artifact_uri };
      }
      case 'POST /runs/search': {
        const ids = (b.experiment_ids as string[]) ?? [];
        const m = /^tags\.`([^`]+)` = '(.*)'$/.exec(s('filter'));
        const runs = [...this.runs.values()].filter(
          (r) =>
            ids.includes(r.info.experiment_id) &&
            (!m || r.tags.some((t) => t.key === m[1] && t.value === m[2])),
        );
        return runs.length ? { runs: runs.slice(0, Number(b.max_results ?? 1000)).map(view) } : {};
      }
      case 'POST /registered-models/create': {
        if (!s('name')) invalid('Registered model name cannot be empty.');
        for (const t of (b.tags as MlflowTag[]) ?? [])
          invalid(registryTagProblem('Registered model', t.key, t.value));
        if (this.models.has(s('name')))
          throw new Refusal(
            400,
            'RESOURCE_ALREADY_EXISTS',
            `Registered Model (name=${s('name')}) already exists.`,
          );
        const m = {
          name: s('name'),
          description: s('description'),
          tags: (b.tags as MlflowTag[]) ?? [],
          aliases: new Map<string, string>(),
        };
        this.models.set(m.name, m);
        return { registered_model: { name: m.name, description: m.description, tags: m.tags } };
      }
      case 'GET /registered-models/get': {
        const m = this.#model(s('name'));
        return {
          registered_model: {
            name: m.name,
            description: m.description,
            tags: m.tags,
            aliases: [...m.aliases].map(([alias, version]) => ({ alias, version })),
          },
        };
      }
      case 'POST /model-versions/create': {
        for (const t of (b.tags as MlflowTag[]) ?? [])
          invalid(registryTagProblem('Model version', t.key, t.value));
        const run = b.run_id ? this.runs.get(s('run_id')) : undefined;
        invalid(sourceProblem(s('source'), run?.info.artifact_uri ?? null));
        this.#model(s('name'));
        const version = String(this.versions.filter((v) => v.name === s('name')).length + 1);
        const mv = {
          name: s('name'),
          version,
          source: s('source'),
          ...(b.run_id ? { run_id: s('run_id') } : {}),
          status: 'READY',
          current_stage: 'None',
          description: s('description'),
          tags: (b.tags as MlflowTag[]) ?? [],
        };
        this.versions.push(mv);
        return { model_version: mv };
      }
      case 'GET /model-versions/search': {
        const m = /^name='(.*)'$/.exec(s('filter'));
        const found = this.versions.filter((v) => !m || v.name === m[1]).reverse();
        return { model_versions: found.map((v) => (v.tags.length ? v : { ...v, tags: undefined })) };
      }
      case 'POST /model-versions/set-tag': {
        invalid(registryTagProblem('Model version', b.key, b.value));
        const mv = this.versions.find((v) => v.name === s('name') && v.version === s('version'));
        if (!mv)
          throw new Refusal(
            404,
            'RESOURCE_DOES_NOT_EXIST',
            `Model Version (name=${s('name')}, version=${s('version')}) not found`,
          );
        setTag(mv.tags, { key: s('key'), value: s('value') });
        return {};
      }
      case 'POST /registered-models/alias': {
        invalid(aliasProblem(b.alias));
        const m = this.#model(s('name'));
        if (!this.versions.some((v) => v.name === m.name && v.version === s('version')))
          throw new Refusal(
            404,
            'RESOURCE_DOES_NOT_EXIST',
            `Model Version (name=${m.name}, version=${s('version')}) not found`,
          );
        m.aliases.set(s('alias'), s('version'));
        return {};
      }
      case 'DELETE /registered-models/alias':
        this.#model(s('name')).aliases.delete(s('alias'));
        return {};
      case 'GET /registered-models/alias': {
        const m = this.#model(s('name'));
        const v = m.aliases.get(s('alias'));
        if (!v)
          throw new Refusal(
            400,
            'INVALID_PARAMETER_VALUE',
            `Registered model alias ${s('alias')} not found.`,
          );
        return {
          model_version: {
            ...this.versions.find((x) => x.name === m.name && x.version === v),
            aliases: [s('alias')],
          },
        };
      }
      default:
        throw new Refusal(404, 'ENDPOINT_NOT_FOUND', `no route ${route}`);
    }
  }

  #run(id: string): FakeRun {
    const run = this.runs.get(id);
    if (!run) throw new Refusal(404, 'RESOURCE_DOES_NOT_EXIST', `Run with id=${id} not found`);
    return run;
  }

  #model(name: string) {
    const m = this.models.get(name);
    if (!m) throw new Refusal(404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);
    return m;
  }
}

/** Throws MLflow's `INVALID_PARAMETER_VALUE` refusal when a rule found a problem. */
function invalid(problem: string | null): void {
  if (problem) throw new Refusal(400, 'INVALID_PARAMETER_VALUE', problem);
}

function view(run: FakeRun): unknown {
  return { info: run.info, data: { metrics: run.metrics, params: run.params, tags: run.tags } };
}

function setTag(tags: MlflowTag[], t: MlflowTag): void {
  const i = tags.findIndex((x) => x.key === t.key);
  if (i >= 0) tags[i] = t;
  else tags.push(t);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
