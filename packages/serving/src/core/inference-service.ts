import { bearerOf, findBearerToken } from '../auth/find-bearer-token.js';
import { showValue } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { JsonValue, MetadataStore } from '@myelin/registry';
import { FeedbackLog, type FeedbackResult } from '../monitoring/feedback-log.js';
import type { SampleLogger } from '../monitoring/sample-logger.js';
import type { ServingMetrics } from '../monitoring/serving-metrics.js';
import { toCandidate } from '../rollout/route-traffic.js';
import type { Clock } from '../util/clock.js';
import { badRequest, httpStatusFor, notFound } from '../util/serving-error.js';
import { encodeBatch } from '../validation/encode-batch.js';
import { classLabels, decodeOutputs, type DecodedOutputs } from './decode-outputs.js';
import { instanceAt, instanceCount } from './instance-at.js';
import { DEPLOY_EVENTS } from '../rollout/deploy-events.js';
import type { ModelManager, ServedModel } from './model-manager.js';
import type { InstanceBatch, PredictOutcome, PredictRequest, VersionSelector } from './predict-types.js';
import type { ServedVersion } from './served-version.js';

/** What the inference core needs. */
export interface InferenceServiceDeps {
  manager: ModelManager;
  meta: MetadataStore;
  metrics: ServingMetrics;
  clock: Clock;
  random: () => number;
  maxInstances: number;
  requestTimeoutMs: number;
  candidateAlias: string;
  feedbackCapacity: number;
  samples: SampleLogger | null;
  log: (line: string) => void;
}

/**
 * The one handler core behind every protocol: picks the version once (pinned, by label, or the
 * served alias with canary routing), runs the protocol's checks against it, validates and encodes
 * the instances against that version's training schema in one pass, runs them through the
 * version's dynamic batcher, decodes labels/probabilities or values, and records metrics, rollout
 * figures (canary and shadow comparisons), drift, feedback joins and sampled logs. Protocol
 * adapters only translate shapes.
 */
export class InferenceService {
  readonly feedbackLog: FeedbackLog;

  constructor(private readonly deps: InferenceServiceDeps) {
    this.feedbackLog = new FeedbackLog(deps.feedbackCapacity, deps.metrics);
  }

  /** The served model, or 404. */
  model(name: string): ServedModel {
    const m = this.deps.manager.models.get(name);
    if (!m) throw notFound(`model "${name}" is not served here`);
    return m;
  }

  /** Checks the bearer token a model requires (constant-time); throws 401. */
  authorize(name: string, header: string | undefined): void {
    const m = this.deps.manager.models.get(name);
    const tokens = m?.config.tokens;
    if (!tokens || tokens.length === 0) return;
    if (findBearerToken(tokens, bearerOf(header), (t) => t) === undefined)
      throw new MyelinError('MYELIN_ERR_SERVING_UNAUTHORIZED', `model "${name}" needs a valid bearer token`);
  }

  /** Every version the model serves now (stable first). */
  servedVersions(m: ServedModel): ServedVersion[] {
    const out: ServedVersion[] = [];
    if (m.stable) out.push(m.stable);
    if (m.rollout) out.push(m.rollout.served);
    return out;
  }

  /**
   * The version a selector names among the served ones: 404 when that version is not loaded, 400
   * for a label the model does not have (as TF Serving answers), 503 while none is loaded (saying
   * why when its version failed to load).
   */
  resolve(m: ServedModel, sel: VersionSelector): ServedVersion {
    if (!m.stable) {
      const why = m.lastError
        ? `: ${m.name}@${m.lastError.version} was refused (${m.lastError.message})`
        : ' yet';
      throw new MyelinError('MYELIN_ERR_SERVING_NOT_READY', `model "${m.name}" has no version loaded${why}`);
    }
    let version: number | undefined = sel.version;
    if (sel.label !== undefined) {
      version = sel.label === m.alias ? m.stable.loaded.version : m.aliases[sel.label];
      if (sel.label === this.deps.candidateAlias && m.rollout) version = m.rollout.served.loaded.version;
      if (version === undefined)
        throw badRequest(
          `Unrecognized servable version label: model "${m.name}" has no label "${sel.label}"`,
        );
    }
    if (version === undefined) return m.stable;
    const v = this.servedVersions(m).find((s) => s.loaded.version === version);
    if (!v) {
      const served = this.servedVersions(m)
        .map((s) => s.loaded.version)
        .join(', ');
      throw notFound(`version ${version} of "${m.name}" is not loaded (served: ${served})`);
    }
    return v;
  }

  /** Runs one prediction request end to end. */
  async predict(req: PredictRequest): Promise<PredictOutcome> {
    const started = this.deps.clock.now();
    const m = this.model(req.model);
    const n = instanceCount(req.batch);
    if (n === 0) throw badRequest('no instances: send at least one');
    if (n > this.deps.maxInstances) {
      throw new MyelinError(
        'MYELIN_ERR_SERVING_TOO_LARGE',
        `${n} instances in one request; the limit is ${this.deps.maxInstances}`,
      );
    }
    let target = this.resolve(m, req.selector);
    const pinned = req.selector.version !== undefined || req.selector.label !== undefined;
    const rollout = m.rollout;
    let mirror: ServedVersion | null = null;
    if (!pinned && rollout && m.stable) {
      const hit = toCandidate(
        rollout.settings.traffic,
        req.requestKey,
        rollout.served.loaded.version,
        this.deps.random,
      );
      if (hit && rollout.settings.strategy === 'canary') {
        target = rollout.served;
        mirror = m.stable; // compared, never answered with
      } else if (hit) {
        mirror = rollout.served; // shadow: answers dropped
      }
    }
    const v = target.loaded;
    req.check?.(v);
    const encoded = encodeBatch(req.batch, v);
    for (const w of encoded.warnings)
      this.deps.metrics.inputWarnings.inc({ model: m.name, feature: w.field, kind: w.kind });
    let y: Float32Array;
    try {
      y = await target.batcher.submit(encoded.x, n, this.deps.requestTimeoutMs);
    } catch (e) {
      if (rollout) target.stats.record(httpStatusFor(e) < 500, this.deps.clock.now() - started);
      throw e;
    }
    const decoded = decodeOutputs(v, y, n);
    target.stats.record(true, this.deps.clock.now() - started);
    const predictionIds = this.remember(m, target, decoded);
    target.counters.instances.inc(n);
    this.observeDrift(m, target, encoded.x, n);
    this.logSamples(m, target, req.batch, decoded, predictionIds);
    if (mirror) this.compare(req.batch, target, mirror, decoded, rollout?.settings.strategy === 'shadow');
    return {
      model: m.name,
      version: v.version,
      task: v.targetEncoder.task,
      classes: v.classes === null ? null : classLabels(v.targetEncoder),
      n,
      predictionIds,
      labels: decoded.labels,
      probabilities: decoded.probabilities,
      values: decoded.values,
      warnings: encoded.warnings,
    };
  }

  /** Joins a true label to a prediction id of `model` (404 unknown id, 400 bad label). */
  feedback(model: string, predictionId: unknown, label: unknown): Extract<FeedbackResult, { ok: true }> {
    this.model(model);
    if (typeof predictionId !== 'string' || predictionId === '')
      throw badRequest('feedback needs a "prediction_id" string (as the prediction gave it)');
    if (label === undefined || label === null) throw badRequest('feedback needs a "label"');
    const r = this.feedbackLog.feedback(model, predictionId, label);
    if (!r.ok) {
      if (r.reason === 'bad-label')
        throw badRequest(`label ${showValue(label)} does not fit this model's target`);
      throw notFound(
        `no prediction "${predictionId}" of model "${model}" is remembered (unknown, too old, or already labelled)`,
      );
    }
    return r;
  }

  /** Gives each instance a prediction id, remembers it for feedback and counts the predicted classes. */
  private remember(m: ServedModel, sv: ServedVersion, d: DecodedOutputs): string[] {
    const v = sv.loaded;
    const ids = new Array<string>(d.n);
    const regression = d.values !== null;
    for (let i = 0; i < d.n; i++) {
      const predicted = regression ? (d.values![i] as number) : (d.labels![i] ?? null);
      ids[i] = this.feedbackLog.remember(m.name, v.version, predicted, regression);
    }
    if (regression || !v.classes) sv.counters.predicted('value').inc(d.n);
    else {
      const counts = new Array<number>(v.classes.length).fill(0);
      for (let i = 0; i < d.n; i++) counts[d.classIndex![i] as number]! += 1;
      counts.forEach((c, k) => {
        if (c > 0) sv.counters.predicted(v.classes![k] as string).inc(c);
      });
    }
    return ids;
  }

  /** Runs the other side of a canary/shadow split off the response path and records the comparison. */
  private compare(
    batch: InstanceBatch,
    answered: ServedVersion,
    other: ServedVersion,
    decoded: DecodedOutputs,
    shadow: boolean,
  ): void {
    const started = this.deps.clock.now();
    const candidate = shadow ? other : answered;
    const n = decoded.n;
    void (async () => {
      let theirs: DecodedOutputs;
      try {
        const encoded = encodeBatch(batch, other.loaded);
        const y = await other.batcher.submit(encoded.x, n, this.deps.requestTimeoutMs);
        theirs = decodeOutputs(other.loaded, y, n);
        if (shadow) other.stats.record(true, this.deps.clock.now() - started);
      } catch (e) {
        if (shadow && httpStatusFor(e) !== 503) other.stats.record(false, this.deps.clock.now() - started);
        return;
      }
      for (let i = 0; i < n; i++) {
        candidate.stats.compare(
          decoded.values
            ? Math.abs((decoded.values[i] as number) - (theirs.values?.[i] ?? 0))
            : decoded.classIndex![i] === theirs.classIndex?.[i]
              ? 0
              : 1,
        );
      }
      const s = candidate.stats.snapshot();
      this.deps.metrics.rolloutDivergence.set(
        { ...candidate.labels, strategy: shadow ? 'shadow' : 'canary' },
        Number.isFinite(s.divergence) ? s.divergence : 0,
      );
    })();
  }

  private observeDrift(m: ServedModel, sv: ServedVersion, x: Float32Array, n: number): void {
    if (!sv.drift) return;
    const scores = sv.drift.observe(x, n, this.deps.clock.now());
    if (!scores) return;
    for (const s of scores) {
      this.deps.metrics.driftScore.set({ ...sv.labels, feature: s.feature, metric: s.metric }, s.score);
      const key = `${s.feature}\u0000${s.metric}`;
      if (!sv.driftSeries.has(key)) sv.driftSeries.set(key, { feature: s.feature, metric: s.metric });
      if (s.drifted && !sv.drifted.has(s.feature)) {
        sv.drifted.add(s.feature);
        this.deps.metrics.driftEvents.inc({ ...sv.labels, feature: s.feature });
        const payload = {
          model: m.name,
          version: sv.loaded.version,
          feature: s.feature,
          metric: s.metric,
          score: s.score,
          threshold: m.drift.threshold,
          window: s.window,
        } as JsonValue;
        this.deps.log(
          `${m.name}@${sv.loaded.version}: drift on "${s.feature}" (${s.metric} ${s.score.toFixed(3)} > ${m.drift.threshold})`,
        );
        this.deps.meta
          .appendEvent(sv.loaded.record.runId, DEPLOY_EVENTS.drift, payload)
          .catch((e: unknown) => {
            this.deps.log(`cannot record the drift event: ${e instanceof Error ? e.message : String(e)}`);
          });
      } else if (!s.drifted) sv.drifted.delete(s.feature);
    }
  }

  private logSamples(
    m: ServedModel,
    sv: ServedVersion,
    batch: InstanceBatch,
    d: DecodedOutputs,
    ids: string[],
  ): void {
    const rate = m.config.logSampleRate ?? 0;
    if (!this.deps.samples || rate <= 0) return;
    const ts = this.deps.clock.now();
    const k = sv.loaded.classes?.length ?? 0;
    for (let i = 0; i < d.n; i++) {
      if (this.deps.random() >= rate) continue;
      const output = d.values
        ? { value: d.values[i] as number }
        : {
            label: d.labels![i] ?? null,
            probabilities: Array.from(d.probabilities!.subarray(i * k, (i + 1) * k)),
          };
      this.deps.samples.add(
        {
          ts,
          model: m.name,
          version: sv.loaded.version,
          predictionId: ids[i] as string,
          input: instanceAt(batch, i, sv.loaded.preprocessor.width),
          output,
        },
        m.config.logBatchSize ?? 200,
      );
      this.deps.metrics.sampledLogs.inc(sv.labels);
    }
  }
}
