import { resolve } from 'node:path';
import type { Command } from 'commander';
import { MyelinError } from '@myelin/errors';
import { writeModelRepository, type ExportFormat } from '@myelin/onnx';
import { verifyModelVersion } from '@myelin/pipeline/stack';
import { printJson } from '../output.js';
import { withStack } from './with-stack.js';

const FORMATS: readonly ExportFormat[] = ['onnx', 'tfjs'];

/** `myelin export <name>[:alias|@version] --format onnx|tfjs --out DIR`. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'Write a registered version as a model repository: <name>/<version>/model.onnx + <name>/config.pbtxt for Triton and KServe (onnx), or the served model.json + weights.bin (tfjs); the fitted preprocessing JSON goes beside the model.',
    )
    .argument('<model>', 'name, name@version or name:alias (default: the latest version)')
    .requiredOption('--out <dir>', 'the model repository folder (created when missing)')
    .option('--format <format>', 'onnx or tfjs', 'onnx')
    .option('--max-batch-size <n>', "Triton's max_batch_size in config.pbtxt", '64')
    .option('--json', 'print JSON')
    .action(
      async (ref: string, flags: { out: string; format: string; maxBatchSize: string; json?: boolean }) => {
        if (!FORMATS.includes(flags.format as ExportFormat))
          throw new MyelinError(
            'MYELIN_ERR_USAGE',
            `--format "${flags.format}" is not one of ${FORMATS.join(', ')}`,
          );
        const maxBatchSize = Number(flags.maxBatchSize);
        if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1)
          throw new MyelinError(
            'MYELIN_ERR_USAGE',
            `--max-batch-size "${flags.maxBatchSize}" is not a positive whole number`,
          );
        await withStack(
          async ({ meta, store }) => {
            // every file is re-hashed first: a tampered version is never exported
            const checked = await verifyModelVersion(meta, store, ref);
            if (!checked.ok || !checked.manifest) {
              const problems = checked.problems.map((p) => `${p.file}: ${p.problem}`).join('; ');
              throw new MyelinError(
                'MYELIN_ERR_ARTIFACT_INTEGRITY',
                `${checked.version.model}@${checked.version.version} fails verification (${problems}); nothing was exported`,
              );
            }
            const repo = await writeModelRepository({
              store,
              manifest: checked.manifest,
              version: checked.version.version,
              format: flags.format as ExportFormat,
              outDir: resolve(flags.out),
              maxBatchSize,
            });
            const result = {
              model: checked.version.model,
              version: checked.version.version,
              format: flags.format,
              dir: repo.modelDir,
              files: repo.files,
              ...(repo.input ? { input: repo.input, output: repo.output } : {}),
            };
            if (flags.json) return printJson(result);
            process.stdout.write(
              `exported ${result.model}@${result.version} (${result.format}) to ${repo.modelDir}\n${repo.files.map((f) => `  ${f}\n`).join('')}` +
                (repo.input
                  ? `input "${repo.input.name}" FP32 [batch, ${repo.input.dims.join(', ')}] (encoded features: apply preprocessor.json first), output "${repo.output?.name}" FP32 [batch, ${repo.output?.dims.join(', ')}]\n`
                  : ''),
            );
          },
          { mirror: false },
        );
      },
    );
}
