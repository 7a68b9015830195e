import type { Command } from 'commander';
import pc from 'picocolors';
import { MyelinError } from '@myelin/errors';
import { listStackSchedules, removeStackSchedule } from '@myelin/pipeline';
import { printJson } from '../output.js';
import { withStack } from './with-stack.js';

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);

/**
 * Registers `myelin schedule list` and `myelin schedule rm <pipeline>`: the cron schedules of
 * pipelines submitted through the API (`monitor.retrain.schedule`), on the configured stack.
 */
export function registerScheduleCommands(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      'Pipeline schedules (monitor.retrain.schedule of pipelines submitted to the API; read in UTC). ' +
        'The API fires them: BullMQ job schedulers on the queue stack, `myelin up` in-process on the embedded one.',
    );

  schedule
    .command('list')
    .description('List the schedules with their next fire times.')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withStack(async (stack) => {
        const all = await listStackSchedules(stack);
        if (flags.json) return printJson(all.map(({ specText: _t, ...s }) => s));
        if (!all.length)
          return void process.stdout.write(
            'no schedules (submit a pipeline with monitor.retrain.schedule)\n',
          );
        for (const s of all)
          process.stdout.write(
            `${s.pipeline.padEnd(20)} ${s.cron.padEnd(16)} ${s.timezone.padEnd(5)} next ${time(s.nextFireAt)}\n`,
          );
      });
    });

  schedule
    .command('rm')
    .description(
      "Remove a pipeline's schedule: no later fire time starts a run (submitting it again with a schedule registers it again).",
    )
    .argument('<pipeline>')
    .option('--json', 'print JSON')
    .action(async (pipeline: string, flags: { json?: boolean }) => {
      await withStack(async (stack) => {
        const removed = await removeStackSchedule(stack, pipeline);
        if (!removed)
          throw new MyelinError(
            'MYELIN_ERR_REGISTRY_NOT_FOUND',
            `pipeline ${pipeline} has no schedule (see myelin schedule list)`,
          );
        if (flags.json) return printJson({ pipeline, removed });
        process.stdout.write(`${pc.bold(pipeline)}: schedule removed\n`);
      });
    });
}
