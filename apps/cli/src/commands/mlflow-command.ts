import type { Command } from 'commander';
import pc from 'picocolors';
import { MyelinError } from '@myelin/errors';
import { codeVersion } from '@myelin/pipeline';
import { createMlflowMirror, MlflowClient, mlflowMirrorUri, type MlflowMirror } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { printJson } from '../output.js';
import { withStack } from './with-stack.js';

type StackParts = Parameters<Parameters<typeof withStack>[0]>[0];

/** Opens the mirror on the stack's stores; MLflow not configured: a usage error saying how. */
function openMirror({ meta, store, config }: StackParts, timeoutMs?: number): MlflowMirror {
  const uri = mlflowMirrorUri(config?.mlflow?.uri);
  if (!uri) {
    throw new MyelinError(
      'MYELIN_ERR_MLFLOW_CONFIG',
      'no MLflow tracking server is configured: set MYELIN_MLFLOW_URI (e.g. http://mlflow:5000) or mlflow.uri in the stack file',
    );
  }
  const code = codeVersion();
  return createMlflowMirror({
    uri,
    meta,
    store,
    backgroundFlush: false,
    ...(timeoutMs !== undefined ? { client: new MlflowClient({ uri, timeoutMs }) } : {}),
    resolveSpec: (text) => parseSpec(text, 'pipeline.yaml').spec,
    codeVersion: code.commit ? `${code.version}+${code.commit.slice(0, 12)}` : code.version,
  });
}

function positiveMs(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `${flag} "${text}" is not a positive whole number of milliseconds`,
    );
  return n;
}

/** `myelin mlflow sync [--since ISO] [--retry-refused] [--timeout-ms N]` and `myelin mlflow status`. */
export function registerMlflowCommands(program: Command): void {
  const mlflow = program
    .command('mlflow')
    .description('Mirror runs and models into an MLflow tracking server.');

  mlflow
    .command('sync')
    .description(
      'Queue what MLflow lacks (runs, versions, aliases) and deliver the whole outbox now, failed rows included. Exits 1 while something could still be delivered later; rows MLflow refused are reported, not retried (see --retry-refused).',
    )
    .option('--since <iso>', 'only runs, versions and outbox rows from this time on (ISO 8601)')
    .option('--retry-refused', 'also try again the rows MLflow refused as a whole')
    .option('--timeout-ms <ms>', 'give up on an MLflow request after this long (default 10000)')
    .option('--json', 'print JSON')
    .action(async (flags: { since?: string; json?: boolean; retryRefused?: boolean; timeoutMs?: string }) => {
      if (flags.since !== undefined && !Number.isFinite(Date.parse(flags.since)))
        throw new MyelinError(
          'MYELIN_ERR_USAGE',
          `--since "${flags.since}" is not a time; use ISO 8601, e.g. 2026-01-31T12:00:00Z`,
        );
      const timeoutMs = positiveMs('--timeout-ms', flags.timeoutMs);
      await withStack(
        async (stack) => {
          const mirror = openMirror(stack, timeoutMs);
          try {
            const since = flags.since === undefined ? {} : { since: flags.since };
            const queued = await mirror.backfill(since);
            const result = await mirror.flush({
              ...since,
              force: true,
              ...(flags.retryRefused ? { retryRefused: true } : {}),
            });
            const status = await mirror.status();
            const waiting = result.pending + result.failed - result.refused;
            if (flags.json)
              printJson({ uri: mirror.uri, queued, ...result, lastError: status.lastError ?? null });
            else {
              process.stdout.write(
                `${mirror.uri}: queued ${queued.runs} run(s), ${queued.versions} version(s), ${queued.aliases} alias move(s); delivered ${result.delivered}, pending ${result.pending}, failed ${result.failed - result.refused}, refused by MLflow ${result.refused}\n`,
              );
              if (result.skipped)
                process.stdout.write(
                  pc.yellow(
                    `MLflow refused ${result.skipped} param(s)/metric(s)/tag(s) inside delivered rows; they are listed in each run's myelin.mirror.skipped tag\n`,
                  ),
                );
              if (status.lastError && (waiting || result.refused))
                process.stdout.write(pc.yellow(`last error: ${status.lastError}\n`));
            }
            process.exitCode = waiting ? 1 : 0;
          } finally {
            await mirror.close();
          }
        },
        { mirror: false },
      );
    });

  mlflow
    .command('status')
    .description(
      'Show the mirror lag from the outbox alone (it never contacts MLflow): rows waiting, failed, refused and delivered, the oldest waiting row, the servers mirrored to, the last error.',
    )
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withStack(
        async (stack) => {
          const mirror = openMirror(stack);
          try {
            const s = await mirror.status();
            if (flags.json) return printJson(s);
            const lag =
              s.oldestPendingAgeMs === null ? 'none' : `${Math.round(s.oldestPendingAgeMs / 1000)} s`;
            const lines = [
              s.uri,
              `  pending ${s.pending}  failed ${s.failed - s.refused}  refused ${s.refused}  delivered ${s.delivered}${s.deliveredWithSkips ? ` (${s.deliveredWithSkips} with items MLflow refused)` : ''}  lag ${lag}`,
            ];
            if (s.notYetQueued)
              lines.push(
                `  ${s.notYetQueued} thing(s) mirrored to another server are not queued for this one yet: \`myelin mlflow sync\` sends them`,
              );
            for (const t of s.servers.filter((x) => x.target !== s.uri))
              lines.push(
                `  also mirrored to ${t.target}: delivered ${t.delivered}, pending ${t.pending}, failed ${t.failed}`,
              );
            process.stdout.write(
              `${lines.join('\n')}\n${s.lastError ? pc.yellow(`  last error: ${s.lastError}\n`) : ''}`,
            );
          } finally {
            await mirror.close();
          }
        },
        { mirror: false },
      );
    });
}
