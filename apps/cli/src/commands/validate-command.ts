import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadSpecFile } from '@myelin/spec';
import { formatReport, writeSchemaFile } from '@myelin/data';
import { validateData, validationVerdict } from '@myelin/pipeline/validate';
import pc from 'picocolors';
import { errorJson, printJson } from '../output.js';
import { createReadProgress } from '../progress.js';

interface ValidateFlags {
  json?: boolean;
  writeSchema?: string;
  allowOutsideData?: boolean;
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'Check a pipeline file, read its data, infer or load the schema, profile it and apply the validation rules.\n' +
        'Exit codes: 0 valid, 1 data anomalies with onFailure: fail, 2 invalid pipeline file or unreadable data.',
    )
    .argument('<pipeline>', 'pipeline YAML file')
    .option('--json', 'print one JSON object { status, spec, schema, profile, anomalies }')
    .option('--write-schema <file>', 'write the inferred data schema to a file (use it as validate.schema)')
    .option('--allow-outside-data', "allow data.source to point outside the pipeline file's folder")
    .action(async (file: string, flags: ValidateFlags) => {
      try {
        const loaded = await loadSpecFile(file);
        const progress = createReadProgress('reading');
        let result;
        try {
          result = await validateData(loaded, {
            allowOutside: flags.allowOutsideData ?? false,
            onProgress: progress.onProgress,
          });
        } finally {
          progress.stop();
        }
        if (flags.writeSchema) await writeSchemaFile(resolve(flags.writeSchema), result.schema);
        if (flags.json) {
          printJson({
            status: result.status,
            spec: loaded.spec,
            specHash: loaded.hash,
            source: result.source.display,
            rows: result.rows,
            task: result.task ?? null,
            schema: result.schema,
            profile: result.profile,
            anomalies: result.anomalies,
          });
        } else {
          process.stdout.write(
            `${pc.bold(loaded.spec.name)}  ${result.source.display}  ${result.rows} rows\n\n`,
          );
          process.stdout.write(
            `${formatReport({ rows: result.rows, schema: result.schema, profile: result.profile, anomalies: result.anomalies }, { color: Boolean(process.stdout.isTTY) })}\n`,
          );
          const verdict = validationVerdict(result.status, result.anomalies);
          const paint = verdict.tone === 'ok' ? pc.green : verdict.tone === 'warn' ? pc.yellow : pc.red;
          if (result.task && !loaded.spec.task)
            process.stdout.write(`\ntask: ${result.task}, inferred from the target "${loaded.spec.data.target}"; set task: to choose`);
          process.stdout.write(`\n${paint(verdict.text)}\n`);
          if (flags.writeSchema) process.stdout.write(`schema written to ${flags.writeSchema}\n`);
        }
        process.exitCode = result.status === 'failed' ? 1 : 0;
      } catch (e) {
        if (flags.json) {
          printJson({ status: 'error', error: errorJson(e) });
        }
        throw e;
      }
    });
}
