import type { Command } from 'commander';
import pc from 'picocolors';
import { MyelinError } from '@myelin/errors';
import { codeVersion } from '@myelin/pipeline';
import { createMlflowMirror, mlflowMirrorUri, type MlflowMirror } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { printJson } from '../output.js';
import { withStack } from './with-stack.js';

type StackParts = Parameters<Parameters<typeof withStack>[0]>[0];

/** Opens the mirror on the stack's stores; MLflow not configured: a usage error saying how. */
function openMirror({ meta, store }: StackParts): MlflowMirror {
  const uri = mlflowMirrorUri();
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
    resolveSpec: (text) => parseSpec(text, 'pipeline.yaml').spec,
    codeVersion: code.commit ? `${code.version}+${code.commit.slice(0, 12)}` : code.version,
  });
}

/** `myelin mlflow sync [--since ISO]` and `myelin mlflow status`. */
export function registerMlflowCommands(program: Command): void {
  const mlflow = program
    .command('mlflow')
    .description('Mirror runs and models into an MLflow tracking server.');

  mlflow
    .command('sync')
    .description(
      'Queue what MLflow lacks (runs, versions, aliases) and deliver the whole outbox now, failed rows included.',
    )
    .option('--since <iso>', 'only runs, versions and outbox rows from this time on (ISO 8601)')
    .option('--json', 'print JSON')
    .action(async (flags: { since?: string; json?: boolean }) => {
      if (flags.since !== undefined && !Number.isFinite(Date.parse(flags.since)))
        throw new MyelinError(
          'MYELIN_ERR_USAGE',
          `--since "${flags.since}" is not a time; use ISO 8601, e.g. 2026-01-31T12:00:00Z`,
        );
      await withStack(async (stack) => {
        const mirror = openMirror(stack);
        try {
          const since = flags.since === undefined ? {} : { since: flags.since };
          const queued = await mirror.backfill(since);
          const result = await mirror.flush({ ...since, force: true });
          const status = await mirror.status();
          if (flags.json)
            printJson({ uri: mirror.uri, queued, ...result, lastError: status.lastError ?? null });
          else {
            process.stdout.write(
              `${mirror.uri}: queued ${queued.runs} run(s), ${queued.versions} version(s), ${queued.aliases} alias move(s); delivered ${result.delivered}, pending ${result.pending}, failed ${result.failed}\n`,
            );
            if (status.lastError && (result.pending || result.failed))
              process.stdout.write(pc.yellow(`last error: ${status.lastError}\n`));
          }
          process.exitCode = result.pending || result.failed ? 1 : 0;
        } finally {
          await mirror.close();
        }
      });
    });

  mlflow
    .command('status')
    .description(
      'Show the mirror lag: rows waiting, failed and delivered, the oldest waiting row, the last error.',
    )
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withStack(async (stack) => {
        const mirror = openMirror(stack);
        try {
          const s = await mirror.status();
          if (flags.json) return printJson(s);
          const lag = s.oldestPendingAgeMs === null ? 'none' : `${Math.round(s.oldestPendingAgeMs / 1000)} s`;
          process.stdout.write(
            `${s.uri}\n  pending ${s.pending}  failed ${s.failed}  delivered ${s.delivered}  lag ${lag}\n${s.lastError ? pc.yellow(`  last error: ${s.lastError}\n`) : ''}`,
          );
        } finally {
          await mirror.close();
        }
      });
    });
}
