import type { Command } from 'commander';
import pc from 'picocolors';
import { MyelinError } from '@myelin/errors';
import { didYouMean } from '@myelin/data/config';
import { RUN_STATUSES, type RunStatus } from '@myelin/registry';
import { parseStoredRunSummary } from '@myelin/pipeline/run-summary';
import { printJson } from '../output.js';
import { withStack } from './with-stack.js';
import { requireRun } from './require-run.js';

const time = (ms: number | null) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '-');
const dur = (a: number | null, b: number | null) => (a && b ? `${((b - a) / 1000).toFixed(1)}s` : '-');

/** The `--status` flag as a run status, or a usage error that lists them. */
function runStatusOf(flag: string): RunStatus {
  const status = RUN_STATUSES.find((s) => s === flag);
  if (status === undefined)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `--status ${flag} is not a run status${didYouMean(flag, RUN_STATUSES)} (one of ${RUN_STATUSES.join(', ')})`,
    );
  return status;
}

/** One line of the `myelin runs` table; the header uses the same widths. */
const runsRow = (cells: [string, string, string, string, string, string, string, string]): string =>
  `${cells[0].padEnd(28)}  ${cells[1].padEnd(16)} ${cells[2].padEnd(10)} ${cells[3].padEnd(8)} ${cells[4].padEnd(19)}  ${cells[5].padStart(8)}  ${cells[6].padEnd(16)} ${cells[7]}`.trimEnd() +
  '\n';

export function registerRunsCommands(program: Command): void {
  program
    .command('runs')
    .description(
      'List recent runs, newest first: id, pipeline, status, trigger (cli, api, schedule, drift), start, duration, model, parent run (a drift retraining: the run that trained the drifting version).',
    )
    .option('--json', 'print JSON')
    .option('--status <status>', 'only runs with this status')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--limit <n>', 'how many', '20')
    .action(async (flags: { json?: boolean; status?: string; pipeline?: string; limit: string }) => {
      await withStack(async ({ meta }) => {
        const { runs } = await meta.listRuns({
          limit: Number(flags.limit),
          ...(flags.status ? { status: runStatusOf(flags.status) } : {}),
          ...(flags.pipeline ? { pipeline: flags.pipeline } : {}),
        });
        if (flags.json) return printJson(runs.map(({ specText: _s, ...r }) => r));
        if (!runs.length) return void process.stdout.write('no runs yet\n');
        process.stdout.write(
          pc.bold(runsRow(['RUN', 'PIPELINE', 'STATUS', 'TRIGGER', 'STARTED', 'TOOK', 'MODEL', 'PARENT'])),
        );
        for (const r of runs) {
          const { model: m } = parseStoredRunSummary(r.summary, r.id);
          const model = m ? `${m.name}@${m.version}` : '-';
          process.stdout.write(
            runsRow([
              r.id,
              r.pipeline,
              r.status,
              r.trigger,
              time(r.startedAt),
              dur(r.startedAt, r.finishedAt),
              model,
              r.parentRunId ?? '',
            ]),
          );
        }
      });
    });

  program
    .command('run-info')
    .description(
      'Show one run: steps with status and timings, test metrics, gate verdicts, the model it produced.',
    )
    .argument('<runId>')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      await withStack(async ({ meta }) => {
        const run = await requireRun(meta, id);
        const epochs = await meta.listEpochs(id, 'train');
        if (flags.json) return printJson({ ...run, epochs });
        const out = process.stdout;
        out.write(
          `${pc.bold(run.id)}  ${run.pipeline}  ${run.status}  trigger ${run.trigger}${run.parentRunId ? `  parent ${run.parentRunId}` : ''}\n`,
        );
        out.write(
          `started ${time(run.startedAt)}  finished ${time(run.finishedAt)}  (${dur(run.startedAt, run.finishedAt)})\nspec ${run.specHash}\n\nsteps:\n`,
        );
        for (const s of run.steps) {
          out.write(
            `  ${s.name.padEnd(11)} ${s.status.padEnd(10)} ${dur(s.startedAt, s.finishedAt).padStart(7)}${s.attempt > 1 ? `  attempt ${s.attempt}` : ''}\n`,
          );
          if (s.error) out.write(`    ${pc.red(s.error.message)}\n`);
        }
        if (epochs.length) {
          const last = epochs[epochs.length - 1]!;
          out.write(
            `\ntraining: ${epochs.length} epochs; last: ${Object.entries(last.metrics)
              .map(([k, v]) => `${k} ${v.toFixed(4)}`)
              .join('  ')}\n`,
          );
        }
        const summary = parseStoredRunSummary(run.summary, run.id);
        if (summary.metrics?.test && Object.keys(summary.metrics.test).length) {
          out.write('\ntest metrics:\n');
          for (const [k, v] of Object.entries(summary.metrics.test))
            out.write(`  ${k.padEnd(12)} ${v.toFixed(4)}\n`);
        }
        if (summary.gates && Object.keys(summary.gates).length) {
          out.write('gates:\n');
          for (const [k, g] of Object.entries(summary.gates))
            out.write(`  ${g.passed ? 'pass' : 'FAIL'} ${k} = ${g.value.toFixed(4)} (${g.bound})\n`);
        }
        if (summary.model) out.write(`model: ${summary.model.name}@${summary.model.version}\n`);
        if (run.error) out.write(`${pc.red('error')} ${run.error.message}\n`);
      });
    });
}
