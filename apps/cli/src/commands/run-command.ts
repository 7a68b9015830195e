import type { Command } from 'commander';
import pc from 'picocolors';
import { loadSpecFile } from '@myelin/spec';
import { openStack, runPipeline, type RunSummary } from '@myelin/pipeline';
import { errorJson, printJson } from '../output.js';
import { createRunProgress } from '../run-progress.js';

interface RunFlags {
  json?: boolean;
  cache?: boolean;
  allowOutsideData?: boolean;
}

function printSummary(s: RunSummary): void {
  const out = process.stdout;
  out.write(
    `\n${pc.bold(`run ${s.runId}`)}  ${s.pipeline}  ${s.status === 'succeeded' ? pc.green(s.status) : pc.red(s.status)}\n`,
  );
  if (s.engine) {
    const e = s.engine;
    out.write(
      `engine: ${e.name} (${e.version}, ${e.device}${e.name === 'torch' ? `, ${e.threads} thread${e.threads === 1 ? '' : 's'}` : ''})\n`,
    );
  } else if (s.backend) out.write(`backend: ${s.backend}\n`);
  const metrics = Object.entries(s.metrics.test);
  if (metrics.length) {
    out.write('test metrics:\n');
    for (const [k, v] of metrics) out.write(`  ${k.padEnd(12)} ${v.toFixed(4)}\n`);
  }
  const gates = Object.entries(s.gates);
  if (gates.length) {
    out.write('gates:\n');
    for (const [k, g] of gates)
      out.write(
        `  ${g.passed ? pc.green('pass') : pc.red('FAIL')} ${k} = ${g.value.toFixed(4)} (${g.bound})\n`,
      );
  }
  if (s.model)
    out.write(
      `registered: ${pc.bold(`${s.model.name}@${s.model.version}`)}  aliases: ${s.model.aliases.join(', ')}\n`,
    );
  else if (s.manifest) out.write(`not registered; manifest stored as ${s.manifest}\n`);
  if (s.error) {
    out.write(`${pc.red('error')} ${s.error.message}  ${pc.dim(`[${s.error.code}]`)}\n`);
    if (s.error.stack && process.env.MYELIN_DEBUG === '1') process.stderr.write(`${s.error.stack}\n`);
    else if (s.error.code === 'MYELIN_ERR_INTERNAL') out.write(pc.dim('run again with MYELIN_DEBUG=1 for the stack trace\n'));
  }
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'Run a pipeline end to end on the configured stack (embedded by default): ingest, validate, preprocess, train, evaluate, register.\n' +
        'Exit codes: 0 registered, 1 validation or a gate failed, 2 invalid pipeline file or data, 3 an internal error.',
    )
    .argument('<pipeline>', 'pipeline YAML file')
    .option('--json', 'print one JSON object with status, runId, metrics.test, gates, model')
    .option('--no-cache', 're-run every step, ignoring cached step outputs')
    .option('--allow-outside-data', "allow data.source to point outside the pipeline file's folder")
    .action(async (file: string, flags: RunFlags) => {
      try {
        const loaded = await loadSpecFile(file);
        const stack = await openStack();
        const progress = createRunProgress({ quiet: false });
        let summary: RunSummary;
        try {
          summary = await runPipeline(loaded, stack, {
            trigger: 'cli',
            noCache: flags.cache === false,
            allowOutside: flags.allowOutsideData ?? false,
            onEvent: progress.onEvent,
            onRunCreated: (id) => process.stderr.write(pc.dim(`run ${id} on the ${stack.describe()}\n`)),
          });
        } finally {
          progress.stop();
          await stack.close();
        }
        if (flags.json) printJson(summary);
        else printSummary(summary);
        process.exitCode = summary.exitCode;
      } catch (e) {
        if (flags.json) printJson({ status: 'error', error: errorJson(e) });
        throw e;
      }
    });
}
