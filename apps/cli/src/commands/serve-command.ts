import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import pc from 'picocolors';
import { MyelinError } from '@myelin/errors';
import { openRedis, openStack, queueConnection, type Stack } from '@myelin/pipeline';
import { parseSpec, type DeploySection, type MonitorSection } from '@myelin/spec';
import {
  aliasNudgeChannel,
  PREDICT_ENGINES,
  recordDeployment,
  rolloutFromDeploy,
  startServer,
  type DriftMetricChoice,
  type PredictEngine,
  type ModelServeConfig,
  parseServeConfigFile,
} from '@myelin/serving';
import { printJson } from '../output.js';
import { cliActor } from '../cli-actor.js';

interface ServeFlags {
  model: string[];
  port: string;
  host: string;
  pollMs: string;
  batching: boolean;
  maxBatchSize?: string;
  batchTimeoutMs?: string;
  maxQueuedRows?: string;
  maxInstances: string;
  maxBodyBytes: string;
  requestTimeoutMs: string;
  token: string[];
  corsOrigin: string[];
  logSampleRate: string;
  driftMetric: string;
  engine: string;
  config?: string;
}

interface DeployFlags {
  strategy?: string;
  traffic?: string;
  duration?: string;
  maxErrorRateIncrease?: string;
  maxLatencyP95Increase?: string;
  maxDivergence?: string;
  minRequests?: string;
  why?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function num(
  name: string,
  text: string | undefined,
  opts: { int?: boolean; min?: number; max?: number } = {},
): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  const ok =
    Number.isFinite(v) &&
    (!opts.int || Number.isInteger(v)) &&
    v >= (opts.min ?? -Infinity) &&
    v <= (opts.max ?? Infinity);
  if (!ok)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `--${name} must be ${opts.int ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}, got "${text}"`,
    );
  return v;
}

/** Seconds from `600`, `30s`, `10m`, `1h` or `2d`. */
function seconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!m)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `--duration must be seconds or like 30s, 10m, 1h, got "${text}"`,
    );
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as string] as number);
}

/** The `deploy:` and `monitor:` sections of the pipeline that trained a version, when readable. */
async function pipelineSections(
  stack: Stack,
  model: string,
  version: number,
): Promise<{ deploy?: DeploySection; monitor?: MonitorSection }> {
  try {
    const rec = await stack.meta.getVersion(model, version);
    const run = rec ? await stack.meta.getRun(rec.runId) : null;
    if (!run) return {};
    const { spec } = parseSpec(run.specText, `${run.pipeline}.yaml (run ${run.id})`);
    return {
      ...(spec.deploy ? { deploy: spec.deploy } : {}),
      ...(spec.monitor ? { monitor: spec.monitor } : {}),
    };
  } catch {
    return {};
  }
}

/** Subscribes to alias-move nudges on Redis when the stack has Redis (polling still runs). */
function redisNudges(
  stack: Stack,
  log: (line: string) => void,
): ((refresh: () => void) => () => void) | undefined {
  const queues = queueConnection(stack.config);
  if (!queues) return undefined;
  return (refresh) => {
    const sub = openRedis(queues.url);
    sub.on('error', (e: Error) => log(`redis nudges: ${e.message}`));
    sub.on('message', () => refresh());
    void sub
      .subscribe(aliasNudgeChannel(queues.prefix))
      .catch((e: unknown) => log(`redis nudges: ${e instanceof Error ? e.message : String(e)}`));
    return () => sub.disconnect();
  };
}

/** Publishes an alias-move nudge on Redis when the stack has Redis; never fails the command. */
async function announce(stack: Stack, model: string): Promise<void> {
  const queues = queueConnection(stack.config);
  if (!queues) return;
  const pub = openRedis(queues.url);
  pub.on('error', () => undefined);
  try {
    await pub.publish(aliasNudgeChannel(queues.prefix), JSON.stringify({ model }));
  } catch {
    // servers poll anyway
  } finally {
    pub.disconnect();
  }
}

/** Builds each model's serving config from the flags, the config file and the pipeline's sections. */
async function modelConfigs(stack: Stack, flags: ServeFlags): Promise<ModelServeConfig[]> {
  const fromFile = new Map<string, ModelServeConfig>();
  if (flags.config) {
    let text: string;
    try {
      text = await readFile(flags.config, 'utf8');
    } catch (e) {
      const why =
        e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : 'it cannot be read';
      throw new MyelinError('MYELIN_ERR_USAGE', `cannot read the serving config: ${why}`, {
        file: flags.config,
      });
    }
    for (const m of parseServeConfigFile(text, flags.config)) fromFile.set(m.name, m);
  }
  let refs = flags.model.map((text) => {
    const m = /^([^:@\s]+)(?::([A-Za-z][\w.-]*))?$/.exec(text);
    if (!m) throw new MyelinError('MYELIN_ERR_USAGE', `--model "${text}" is not name or name:alias`);
    return { name: m[1] as string, alias: m[2] };
  });
  if (refs.length === 0) refs = [...fromFile.keys()].map((name) => ({ name, alias: undefined }));
  if (refs.length === 0) {
    const all = await stack.meta.listModels();
    for (const m of all)
      if ((await stack.meta.resolveAlias(m.name, 'production')) !== null)
        refs.push({ name: m.name, alias: undefined });
    if (refs.length === 0) {
      throw new MyelinError(
        'MYELIN_ERR_REGISTRY_NOT_FOUND',
        'no model has a "production" alias; name one with --model name:alias',
      );
    }
  }
  const tokens = new Map<string, string[]>();
  for (const t of flags.token) {
    const at = t.indexOf('=');
    if (at <= 0 || at === t.length - 1)
      throw new MyelinError('MYELIN_ERR_USAGE', `--token must be model=token, got "${t}"`);
    tokens.set(t.slice(0, at), [...(tokens.get(t.slice(0, at)) ?? []), t.slice(at + 1)]);
  }
  const metric = flags.driftMetric as DriftMetricChoice;
  if (!['auto', 'psi', 'ks', 'js', 'wasserstein', 'chi2'].includes(metric)) {
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `--drift-metric must be auto, psi, ks, js, wasserstein or chi2, got "${metric}"`,
    );
  }
  const out: ModelServeConfig[] = [];
  for (const ref of refs) {
    const file = fromFile.get(ref.name) ?? { name: ref.name };
    const probeAlias = ref.alias ?? file.alias ?? 'production';
    const v = await stack.meta.resolveAlias(ref.name, probeAlias);
    const sections = v === null ? {} : await pipelineSections(stack, ref.name, v);
    const alias = ref.alias ?? file.alias ?? sections.deploy?.alias ?? 'production';
    const batching = {
      ...file.batching,
      ...(flags.batching ? {} : { enabled: false }),
      ...(flags.maxBatchSize
        ? { maxBatchSize: num('max-batch-size', flags.maxBatchSize, { int: true, min: 1 }) }
        : {}),
      ...(flags.batchTimeoutMs
        ? { batchTimeoutMs: num('batch-timeout-ms', flags.batchTimeoutMs, { min: 0 }) }
        : {}),
      ...(flags.maxQueuedRows
        ? { maxQueuedRows: num('max-queued-rows', flags.maxQueuedRows, { int: true, min: 1 }) }
        : {}),
    };
    const drift = sections.monitor?.drift;
    const rollout = file.rollout ?? rolloutFromDeploy(sections.deploy);
    const sampleRate = num('log-sample-rate', flags.logSampleRate, { min: 0, max: 1 }) ?? 0;
    out.push({
      ...file,
      name: ref.name,
      alias,
      batching,
      tokens: [...(file.tokens ?? []), ...(tokens.get(ref.name) ?? [])],
      drift: {
        metric,
        ...(drift ? { threshold: drift.threshold, window: drift.window } : {}),
        ...file.drift,
      },
      ...(rollout ? { rollout } : {}),
      logSampleRate: file.logSampleRate ?? sampleRate,
    });
  }
  return out;
}

/** Registers `myelin serve` and `myelin deploy`. */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve registered models over TF Serving REST (/v1/models/{name}:predict) and KServe V2 (/v2/models/{name}/infer), with dynamic batching, input validation, canary/shadow rollouts, drift watching and /metrics.\n' +
        'Each model serves its alias (default production, or the pipeline deploy.alias); alias moves are picked up without a restart.',
    )
    .option(
      '--model <name[:alias]>',
      'a model to serve (repeatable); default: every model with a production alias',
      collect,
      [],
    )
    .option('--port <port>', 'TCP port', '8500')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--poll-ms <ms>', 'how often the registry is polled for alias moves and rollout analysis', '2000')
    .option('--no-batching', 'run every request alone (no dynamic batching)')
    .option('--max-batch-size <n>', 'most rows per predict call (default 256)')
    .option(
      '--batch-timeout-ms <ms>',
      'longest a request waits for its batch to fill (default 0: the end of the event-loop turn)',
    )
    .option('--max-queued-rows <n>', 'rows waiting per version before 503 (default 4096)')
    .option('--max-instances <n>', 'most instances per request (413 above)', '1024')
    .option('--max-body-bytes <n>', 'largest request body (413 above)', String(1024 * 1024))
    .option('--request-timeout-ms <ms>', 'longest a prediction may wait (504 after)', '10000')
    .option('--token <model=token>', 'require this bearer token for a model (repeatable)', collect, [])
    .option(
      '--cors-origin <origin>',
      'allow browser calls from this origin (repeatable; default: no CORS)',
      collect,
      [],
    )
    .option('--log-sample-rate <p>', 'share of instances logged to the artifact store', '0')
    .option('--drift-metric <m>', 'auto (size-aware), psi, ks, js, wasserstein or chi2', 'auto')
    .option(
      '--engine <e>',
      'what predicts: tfjs, or torch (the torch addon, checked against the tfjs model at load, else tfjs)',
      'tfjs',
    )
    .option(
      '--config <file.json>',
      'per-model settings: { "models": [ { "name", "alias", "batching", "tokens", "rollout", "drift", "logSampleRate" } ] }',
    )
    .action(async (flags: ServeFlags) => {
      const stack = await openStack();
      const log = (line: string) => process.stderr.write(`${pc.dim(new Date().toISOString())} ${line}\n`);
      let server: Awaited<ReturnType<typeof startServer>> | undefined;
      try {
        const models = await modelConfigs(stack, flags);
        const nudges = redisNudges(stack, log);
        server = await startServer({
          store: stack.store,
          meta: stack.meta,
          models,
          port: num('port', flags.port, { int: true, min: 0, max: 65535 }),
          host: flags.host,
          pollIntervalMs: num('poll-ms', flags.pollMs, { int: true, min: 10 }),
          maxInstances: num('max-instances', flags.maxInstances, { int: true, min: 1 }),
          maxBodyBytes: num('max-body-bytes', flags.maxBodyBytes, { int: true, min: 1 }),
          requestTimeoutMs: num('request-timeout-ms', flags.requestTimeoutMs, { int: true, min: 1 }),
          cors: flags.corsOrigin.length ? { origins: flags.corsOrigin } : false,
          engine: predictEngine(flags.engine),
          processMetrics: true,
          log,
          ...(nudges ? { nudges } : {}),
          announce: (model) => void announce(stack, model),
        });
      } catch (e) {
        await stack.close();
        throw e;
      }
      const running = server;
      process.stdout.write(`${pc.green('serving')} ${models(running)} on ${running.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stderr.write('shutting down: finishing queued requests\n');
      await running.close();
      await stack.close();
    });

  program
    .command('deploy')
    .description(
      'Deploy a registered version: direct (move the served alias now), canary (a share of traffic answers from it) or shadow (traffic is mirrored to it, answers dropped).\n' +
        'Running servers pick it up at their next poll, compare it with the stable version and promote or roll it back; every decision is recorded in the registry.',
    )
    .argument('<name>')
    .argument('<version>')
    .option('--strategy <s>', 'direct, canary or shadow (default: the pipeline deploy.strategy, else direct)')
    .option(
      '--traffic <share>',
      'share of requests sent or mirrored to the candidate, 0..1 (default: pipeline, else 0.1)',
    )
    .option('--duration <d>', 'analysis window: seconds or 30s/10m/1h (default: pipeline, else 10m)')
    .option(
      '--max-error-rate-increase <x>',
      'roll back above this absolute error-rate increase (default 0.01)',
    )
    .option('--max-latency-p95-increase <x>', 'roll back above this p95 increase, a fraction (default 0.5)')
    .option(
      '--max-divergence <x>',
      'roll back above this disagreement rate / scaled mean absolute difference (default 0.2)',
    )
    .option('--min-requests <n>', 'requests the candidate needs before any decision (default 50)')
    .option('--why <reason>', 'recorded in the alias history')
    .option('--json', 'print JSON')
    .action(async (name: string, versionText: string, flags: DeployFlags) => {
      const version = Number(versionText);
      if (!Number.isInteger(version) || version < 1) {
        throw new MyelinError('MYELIN_ERR_USAGE', `version must be a positive integer, got "${versionText}"`);
      }
      const stack = await openStack();
      try {
        const { deploy } = await pipelineSections(stack, name, version);
        const strategy = flags.strategy ?? deploy?.strategy ?? 'direct';
        if (strategy !== 'direct' && strategy !== 'canary' && strategy !== 'shadow') {
          throw new MyelinError(
            'MYELIN_ERR_USAGE',
            `--strategy must be direct, canary or shadow, got "${strategy}"`,
          );
        }
        const base = rolloutFromDeploy(deploy);
        const pick = <T>(v: T | undefined, d: T | undefined): T | undefined => (v !== undefined ? v : d);
        const settings = {
          traffic: pick(num('traffic', flags.traffic, { min: 0, max: 1 }), base?.traffic),
          duration: pick(seconds(flags.duration), base?.duration),
          maxErrorRateIncrease: pick(
            num('max-error-rate-increase', flags.maxErrorRateIncrease, { min: 0 }),
            base?.maxErrorRateIncrease,
          ),
          maxLatencyP95Increase: pick(
            num('max-latency-p95-increase', flags.maxLatencyP95Increase, { min: 0 }),
            base?.maxLatencyP95Increase,
          ),
          maxDivergence: pick(num('max-divergence', flags.maxDivergence, { min: 0 }), base?.maxDivergence),
          minRequests: num('min-requests', flags.minRequests, { int: true, min: 1 }),
        };
        const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
        const result = await recordDeployment(stack.meta, {
          model: name,
          version,
          strategy,
          settings: clean,
          alias: deploy?.alias ?? 'production',
          who: cliActor(),
          ...(flags.why ? { why: flags.why } : {}),
        });
        await announce(stack, name);
        if (flags.json) return printJson({ model: name, strategy, ...result, settings: clean });
        process.stdout.write(
          strategy === 'direct'
            ? `${name}:${result.alias} → @${version}${result.previous !== null ? ` (was @${result.previous})` : ''}\n`
            : `${name}@${version} is the ${strategy} candidate (${result.alias}); running servers start the rollout at their next poll\n`,
        );
      } finally {
        await stack.close();
      }
    });
}

function models(server: {
  manager: {
    models: Map<string, { name: string; alias: string; stable: { loaded: { version: number } } | null }>;
  };
}): string {
  return [...server.manager.models.values()]
    .map((m) => `${m.name}:${m.alias}@${m.stable?.loaded.version ?? '?'}`)
    .join(', ');
}

/** `--engine`, checked against the engines the server knows. */
function predictEngine(name: string): PredictEngine {
  const known = PREDICT_ENGINES.find((e) => e === name);
  if (!known)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `--engine must be ${PREDICT_ENGINES.join(' or ')}, got "${name}"`,
    );
  return known;
}
