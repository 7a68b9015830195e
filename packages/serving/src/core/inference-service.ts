import { randomBytes, timingSafeEqual } from 'node:crypto';
import { MyelinError } from '@myelin/errors';
import type { JsonValue, MetadataStore } from '@myelin/registry';
import { FeedbackLog, type FeedbackResult } from '../monitoring/feedback-log.js';
import type { SampleLogger } from '../monitoring/sample-logger.js';
import type { ServingMetrics } from '../monitoring/serving-metrics.js';
import { toCandidate } from '../rollout/route-traffic.js';
import type { Clock } from '../util/clock.js';
import { badRequest, httpStatusFor, notFound } from '../util/serving-error.js';
import { validateInstances } from '../validation/validate-instances.js';
import { decodeOutputs, type DecodedOutput } from './decode-outputs.js';
import { DEPLOY_EVENTS } from '../rollout/deploy-events.js';
import type { ModelManager, ServedModel } from './model-manager.js';
import type { InstancePrediction, PredictOutcome, PredictRequest, VersionSelector } from './predict-types.js';
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
 * The one handler core behind every protocol: picks the version (pinned, by label, or the served
 * alias with canary routing), validates and encodes the instances against that version's training
 * schema, runs them through the version's dynamic batcher, decodes labels/probabilities or values,
 * and records metrics, rollout figures (canary and shadow comparisons), drift, feedback joins and
 * sampled logs. Protocol adapters only translate shapes.
 */
export class InferenceService {
  private readonly boot = randomBytes(4).toString('hex');
  private seq = 0;
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
    const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
    const g = Buffer.from(given);
    const ok = tokens.some((t) => {
      const b = Buffer.from(t);
      return b.length === g.length && timingSafeEqual(b, g);
    });
    if (!ok)
      throw new MyelinError('MYELIN_ERR_SERVING_UNAUTHORIZED', `model "${name}" needs a valid bearer token`);
  }

  /** Every version the model serves now (stable first). */
  servedVersions(m: ServedModel): ServedVersion[] {
    const out: ServedVersion[] = [];
    if (m.stable) out.push(m.stable);
    if (m.rollout) out.push(m.rollout.served);
    return out;
  }

  /** The version a selector names among the served ones (404 when it is not loaded, 503 before any is). */
  resolve(m: ServedModel, sel: VersionSelector): ServedVersion {
    if (!m.stable)
      throw new MyelinError('MYELIN_ERR_SERVING_NOT_READY', `model "${m.name}" has no version loaded yet`);
    let version: number | undefined = sel.version;
    if (sel.label !== undefined) {
      version = sel.label === m.alias ? m.stable.loaded.version : m.aliases[sel.label];
      if (sel.label === this.deps.candidateAlias && m.rollout) version = m.rollout.served.loaded.version;
      if (version === undefined) throw notFound(`model "${m.name}" has no label "${sel.label}"`);
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
    const n = req.instances.length;
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
    const checked = validateInstances(req.instances, v.preprocessor, v.schema);
    for (const w of checked.warnings)
      this.deps.metrics.inputWarnings.inc({ model: m.name, feature: w.field, kind: w.kind });
    let y: Float32Array;
    try {
      y = await target.batcher.submit(checked.x, n, this.deps.requestTimeoutMs);
    } catch (e) {
      if (rollout) target.stats.record(httpStatusFor(e) < 500, this.deps.clock.now() - started);
      throw e;
    }
    const decoded = decodeOutputs(v, y, n);
    const latency = this.deps.clock.now() - started;
    target.stats.record(true, latency);
    const predictions = decoded.map((d) => this.toPrediction(m, target, d));
    target.counters.instances.inc(n);
    this.observeDrift(m, target, checked.x, n);
    this.logSamples(m, target, req.instances, predictions);
    if (mirror) this.compare(req.instances, target, mirror, decoded, rollout?.settings.strategy === 'shadow');
    return {
      model: m.name,
      version: v.version,
      task: v.targetEncoder.task,
      classes: v.classes,
      predictions,
      warnings: checked.warnings,
    };
  }

  /** Joins a true label to a prediction id of `model` (404 unknown id, 400 bad label). */
  feedback(model: string, predictionId: unknown, label: unknown): Extract<FeedbackResult, { ok: true }> {
    this.model(model);
    if (typeof predictionId !== 'string' || predictionId === '')
      throw badRequest('feedback needs a "predictionId" string');
    if (label === undefined || label === null) throw badRequest('feedback needs a "label"');
    const r = this.feedbackLog.feedback(model, predictionId, label);
    if (!r.ok) {
      if (r.reason === 'bad-label')
        throw badRequest(`label ${JSON.stringify(label)} does not fit this model's target`);
      throw notFound(
        `no prediction "${predictionId}" of model "${model}" is remembered (unknown, too old, or already labelled)`,
      );
    }
    return r;
  }

  private toPrediction(m: ServedModel, sv: ServedVersion, d: DecodedOutput): InstancePrediction {
    const predictionId = `${this.boot}-${(++this.seq).toString(36)}`;
    const v = sv.loaded;
    if (d.scores && v.classes) {
      const probabilities: Record<string, number> = {};
      v.classes.forEach((c, i) => (probabilities[c] = d.scores![i] as number));
      sv.counters.predicted(String(d.label)).inc();
      this.feedbackLog.remember(predictionId, m.name, v.version, d.label ?? null, false);
      return { predictionId, label: d.label ?? null, probabilities, scores: d.scores };
    }
    sv.counters.predicted('value').inc();
    this.feedbackLog.remember(predictionId, m.name, v.version, d.value ?? null, true);
    return { predictionId, value: d.value as number };
  }

  /** Runs the other side of a canary/shadow split off the response path and records the comparison. */
  private compare(
    instances: unknown[],
    answered: ServedVersion,
    other: ServedVersion,
    decoded: DecodedOutput[],
    shadow: boolean,
  ): void {
    const started = this.deps.clock.now();
    const candidate = shadow ? other : answered;
    void (async () => {
      let theirs: DecodedOutput[];
      try {
        const checked = validateInstances(instances, other.loaded.preprocessor, other.loaded.schema);
        const y = await other.batcher.submit(checked.x, instances.length, this.deps.requestTimeoutMs);
        theirs = decodeOutputs(other.loaded, y, instances.length);
        if (shadow) other.stats.record(true, this.deps.clock.now() - started);
      } catch (e) {
        if (shadow && httpStatusFor(e) !== 503) other.stats.record(false, this.deps.clock.now() - started);
        return;
      }
      decoded.forEach((d, i) => {
        const t = theirs[i] as DecodedOutput;
        candidate.stats.compare(
          d.value !== undefined ? Math.abs(d.value - (t.value ?? 0)) : d.classIndex === t.classIndex ? 0 : 1,
        );
      });
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
    instances: unknown[],
    predictions: InstancePrediction[],
  ): void {
    const rate = m.config.logSampleRate ?? 0;
    if (!this.deps.samples || rate <= 0) return;
    const ts = this.deps.clock.now();
    predictions.forEach((p, i) => {
      if (this.deps.random() >= rate) return;
      this.deps.samples!.add(
        {
          ts,
          model: m.name,
          version: sv.loaded.version,
          predictionId: p.predictionId,
          input: instances[i],
          output: p,
        },
        m.config.logBatchSize ?? 200,
      );
      this.deps.metrics.sampledLogs.inc(sv.labels);
    });
  }
}
