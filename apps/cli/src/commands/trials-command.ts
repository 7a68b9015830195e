import type { Command } from 'commander';
import pc from 'picocolors';
import { readTrials } from '@myelin/registry';
import { printJson } from '../output.js';
import { withStack } from './with-stack.js';
import { requireRun } from './require-run.js';

const value = (v: number | string | boolean) =>
  typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : String(v);

/** `myelin trials <runId> [--json]`: the hyperparameter-search trials of a run, best marked. */
export function registerTrialsCommand(program: Command): void {
  program
    .command('trials')
    .description(
      'List the tune trials of a run: parameters, status, objective on the validation split; the best marked.',
    )
    .argument('<runId>')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      await withStack(async ({ meta }) => {
        const run = await requireRun(meta, id);
        const { tune, trials } = readTrials(run);
        if (flags.json) return printJson({ runId: run.id, tune, trials });
        if (!trials.length) return void process.stdout.write(`run ${run.id} has no tune trials\n`);
        const out = process.stdout;
        out.write(
          `${pc.bold(run.id)}  ${trials.length} trials, ${tune ? `${tune.metric} (${tune.direction})` : 'no best yet'}\n`,
        );
        for (const t of trials) {
          const best = tune?.bestTrial === t.index ? pc.green(' best') : '';
          const metric = t.metric === null ? '-' : t.metric.toFixed(4);
          const params = Object.entries(t.params)
            .map(([k, v]) => `${k}=${value(v)}`)
            .join(' ');
          out.write(
            `  #${String(t.index + 1).padEnd(3)} ${t.status.padEnd(9)} ${metric.padStart(7)}  ${String(t.epochsRun).padStart(4)} ep  ${params}${best}\n`,
          );
        }
      });
    });
}
