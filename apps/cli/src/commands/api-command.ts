import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { MyelinError } from '@myelin/errors';
import { listStackSchedules, queueConnection } from '@myelin/pipeline';
import { readRunEvent } from '@myelin/pipeline/run-event';
// The CLI is the composition root: it starts the API and (for `myelin up`) the worker libraries in-process.
import { createApiClient, startApi, type RunningApi, type SubmitRunBody } from '@myelin/api-server';
import { errorJson, printJson } from '../output.js';
import { createRunProgress } from '../run-progress.js';

interface ServeFlags {
  port: string;
  host: string;
  insecure?: boolean;
  pipelinesDir?: string;
  reconcileIntervalMs?: string;
  retrainCooldown?: string;
}

interface TriggerFlags {
  api: string;
  token?: string;
  wait?: boolean;
  json?: boolean;
  set: string[];
  cache?: boolean;
}

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new MyelinError('MYELIN_ERR_USAGE', `--port must be a port number (0-65535), got "${text}"`);
  return n;
}

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
function untilStopped(): Promise<string> {
  return new Promise((done) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

async function serve(flags: ServeFlags): Promise<RunningApi> {
  const api = await startApi({
    port: port(flags.port),
    host: flags.host,
    insecure: flags.insecure ?? false,
    ...(flags.pipelinesDir ? { pipelinesDir: resolve(flags.pipelinesDir) } : {}),
    ...(flags.reconcileIntervalMs !== undefined
      ? { reconcile: { intervalMs: reconcileInterval(flags.reconcileIntervalMs) } }
      : {}),
    ...(flags.retrainCooldown !== undefined
      ? { retrain: { cooldownMs: cooldown(flags.retrainCooldown) } }
      : {}),
  });
  const schedules = await listStackSchedules(api.stack);
  process.stderr.write(
    pc.dim(
      `retraining: ${schedules.length} schedule${schedules.length === 1 ? '' : 's'} (${queueConnection(api.stack.config) ? 'BullMQ job schedulers' : 'in this process'})${schedules.map((s) => `; ${s.pipeline} "${s.cron}" next ${new Date(s.nextFireAt).toISOString()}`).join('')}\n`,
    ),
  );
  process.stderr.write(pc.dim(`stack: ${api.stack.describe()}\n`));
  return api;
}

function reconcileInterval(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 100)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `--reconcile-interval-ms needs an integer >= 100, got "${text}"`,
    );
  return n;
}

/** Milliseconds from `600`, `30s`, `10m`, `1h` or `2d` (a bare number is seconds). */
function cooldown(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!m)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `--retrain-cooldown must be seconds or like 30s, 10m, 1h, got "${text}"`,
    );
  return Number(m[1]) * 1000 * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as string] as number);
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--set train.epochs=5` → ['train.epochs', 5]; the value is JSON when it parses, else a string. */
function parseSet(entry: string): [string, unknown] {
  const eq = entry.indexOf('=');
  if (eq <= 0) throw new MyelinError('MYELIN_ERR_USAGE', `--set expects path=value, got "${entry}"`);
  const raw = entry.slice(eq + 1);
  try {
    return [entry.slice(0, eq), JSON.parse(raw) as unknown];
  } catch {
    return [entry.slice(0, eq), raw];
  }
}

interface RunDetail {
  id: string;
  pipeline: string;
  status: string;
  exitCode: number | null;
  backend: string | null;
  metrics: { test: Record<string, number> };
  gates: Record<string, { passed: boolean; value: number; bound: string }>;
  model: { name: string; version: number; aliases?: string[] } | null;
  manifest: string | null;
  error: { code: string; message: string } | null;
}

function printRun(r: RunDetail): void {
  const out = process.stdout;
  const status = r.status === 'succeeded' ? pc.green(r.status) : pc.red(r.status);
  out.write(`\n${pc.bold(`run ${r.id}`)}  ${r.pipeline}  ${status}\n`);
  if (r.backend) out.write(`backend: ${r.backend}\n`);
  const metrics = Object.entries(r.metrics.test);
  if (metrics.length) {
    out.write('test metrics:\n');
    for (const [k, v] of metrics) out.write(`  ${k.padEnd(12)} ${v.toFixed(4)}\n`);
  }
  const gates = Object.entries(r.gates);
  if (gates.length) {
    out.write('gates:\n');
    for (const [k, g] of gates)
      out.write(
        `  ${g.passed ? pc.green('pass') : pc.red('FAIL')} ${k} = ${g.value.toFixed(4)} (${g.bound})\n`,
      );
  }
  if (r.model)
    out.write(
      `registered: ${pc.bold(`${r.model.name}@${r.model.version}`)}  aliases: ${(r.model.aliases ?? []).join(', ')}\n`,
    );
  else if (r.manifest) out.write(`not registered; manifest stored as ${r.manifest}\n`);
  if (r.error) out.write(`${pc.red('error')} ${r.error.message}  ${pc.dim(`[${r.error.code}]`)}\n`);
}

async function trigger(file: string, flags: TriggerFlags): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_READ',
      `cannot read the pipeline file: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      { file },
      { cause: e },
    );
  }
  const body: SubmitRunBody = {
    spec: text,
    file,
    baseDir: dirname(resolve(file)),
    ...(flags.set.length ? { overrides: Object.fromEntries(flags.set.map(parseSet)) } : {}),
    ...(flags.cache === false ? { noCache: true } : {}),
  };
  const client = createApiClient({ url: flags.api, ...(flags.token ? { token: flags.token } : {}) });
  const submitted = await client.submitRun(body);
  if (!flags.wait) {
    if (flags.json) printJson(submitted);
    else process.stdout.write(`${submitted.runId}\n`);
    return;
  }
  process.stderr.write(pc.dim(`run ${submitted.runId} submitted to ${flags.api}\n`));
  const progress = createRunProgress({ quiet: false });
  let end;
  try {
    end = await client.followRun(submitted.runId, (e) => {
      // retraining and serving events share the stream; the progress shows the pipeline's own
      const event = readRunEvent(e.payload);
      if (event) progress.onEvent(event);
    });
  } finally {
    progress.stop();
  }
  const run = await client.getRun<RunDetail>(submitted.runId);
  if (flags.json) printJson(run);
  else printRun(run);
  process.exitCode = end.exitCode ?? run.exitCode ?? (end.status === 'succeeded' ? 0 : 1);
}

/**
 * Registers `myelin api` (the queue API), `myelin up` (API plus a worker on the configured stack)
 * and `myelin trigger` (submit a pipeline to a running API, optionally following its progress).
 */
export function registerApiCommands(program: Command): void {
  program
    .command('api')
    .description(
      'Start the queue API (HTTP) on the configured stack: submit runs, follow their events, read runs and models.\n' +
        'Tokens come from MYELIN_API_TOKENS (token:read,runs:write,models:write;…). Without tokens it only listens on a loopback address unless --insecure.',
    )
    .option('--port <port>', 'TCP port (0: any free port)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--insecure', 'allow a non-loopback address without API tokens')
    .option(
      '--pipelines-dir <dir>',
      'the one folder submitted pipelines may read files from; relative data paths resolve against it (default: the working directory)',
    )
    .option(
      '--retrain-cooldown <d>',
      'no drift retraining of a model within this long after its last one: seconds or 30s/10m/1h (default 1h)',
    )
    .option(
      '--reconcile-interval-ms <ms>',
      'on a queue stack: how often the run reconciler (one process of all APIs and workers leads) looks for runs whose jobs Redis lost (default 10000)',
    )
    .action(async (flags: ServeFlags) => {
      const api = await serve(flags);
      process.stdout.write(`Myelin API listening on ${api.url}  (OpenAPI: ${api.url}/api/openapi.json)\n`);
      const signal = await untilStopped();
      process.stderr.write(pc.dim(`${signal}: stopping the API\n`));
      await api.close();
    });

  program
    .command('up')
    .description(
      'Start the API plus a worker on the configured stack (and the status page when it is built). ' +
        'With nothing configured: the embedded stack, and the API runs steps in-process. ' +
        'Pipeline schedules (monitor.retrain.schedule) fire here in-process on the embedded stack, and drift events of the model servers start retraining runs.',
    )
    .option('--port <port>', 'TCP port of the API (0: any free port)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--insecure', 'allow a non-loopback address without API tokens')
    .option('--pipelines-dir <dir>', 'folder relative data paths of submitted pipelines resolve against')
    .option(
      '--retrain-cooldown <d>',
      'no drift retraining of a model within this long after its last one: seconds or 30s/10m/1h (default 1h)',
    )
    .action(async (flags: ServeFlags) => {
      const api = await serve(flags);
      let worker: { close(): Promise<void> } | undefined;
      const config = api.stack.config;
      if (queueConnection(config)) {
        const { detectGpus, startWorker } = await import('@myelin/worker-runtime');
        const gpus = detectGpus().count;
        worker = await startWorker({
          queues: gpus > 0 ? ['cpu', 'gpu'] : ['cpu'],
          concurrency: 1,
          gpus,
          stack: config,
        });
        process.stderr.write(
          pc.dim(`worker consuming the ${gpus > 0 ? 'cpu and gpu queues' : 'cpu queue'}\n`),
        );
      } else process.stderr.write(pc.dim('no Redis configured: runs execute in the API process\n'));
      process.stdout.write(`Myelin is up: ${api.url}  (OpenAPI: ${api.url}/api/openapi.json)\n`);
      const signal = await untilStopped();
      process.stderr.write(pc.dim(`${signal}: stopping\n`));
      await worker?.close();
      await api.close();
    });

  program
    .command('trigger')
    .description(
      'Submit a pipeline file to a running Myelin API. With --wait, follow its progress and exit like `myelin run`:\n' +
        '0 registered, 1 validation or a gate failed, 2 invalid pipeline file or data.\n' +
        "The file's folder is sent as baseDir: a server on this machine resolves relative data paths next to the file.",
    )
    .argument('<pipeline>', 'pipeline YAML file')
    .option(
      '--api <url>',
      'API base URL (env MYELIN_API_URL)',
      process.env.MYELIN_API_URL ?? 'http://127.0.0.1:8080',
    )
    .option('--token <token>', 'bearer token (env MYELIN_API_TOKEN)', process.env.MYELIN_API_TOKEN)
    .option(
      '--set <path=value>',
      'override a field, e.g. --set train.epochs=5 (repeatable; value parsed as JSON when it can be)',
      collect,
      [],
    )
    .option('--no-cache', 're-run every step, ignoring cached step outputs')
    .option('--wait', 'follow the run until it ends, printing step and epoch progress')
    .option('--json', 'print JSON (the run id, or with --wait the final run)')
    .action(async (file: string, flags: TriggerFlags) => {
      try {
        await trigger(file, flags);
      } catch (e) {
        if (flags.json) printJson({ status: 'error', error: errorJson(e) });
        throw e;
      }
    });
}
