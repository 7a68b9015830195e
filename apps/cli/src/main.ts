import { Command, CommanderError } from 'commander';
import { isMyelinError } from '@myelin/errors';
import { registerValidateCommand } from './commands/validate-command.js';
import { registerSchemaCommand } from './commands/schema-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerRunsCommands } from './commands/runs-command.js';
import { registerTrialsCommand } from './commands/trials-command.js';
import { registerModelsCommands } from './commands/models-command.js';
import { registerApiCommands } from './commands/api-command.js';
import { registerMlflowCommands } from './commands/mlflow-command.js';
import { registerExportCommand } from './commands/export-command.js';
import { registerWorkerCommand } from './commands/worker-command.js';
import { registerServeCommands } from './commands/serve-command.js';
import { printError } from './output.js';

/** Builds the `myelin` program. Each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('myelin')
    .description('Myelin: end-to-end neural-network pipelines from one declarative file.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerValidateCommand(program);
  registerRunCommand(program);
  registerRunsCommands(program);
  registerTrialsCommand(program);
  registerModelsCommands(program);
  registerApiCommands(program);
  registerWorkerCommand(program);
  registerServeCommands(program);
  registerMlflowCommands(program);
  registerExportCommand(program);
  registerSchemaCommand(program);
  return program;
}

/**
 * Runs the CLI and returns the process exit code: 0 ok, 1 the data or a gate failed a check,
 * 2 bad input (pipeline file, data file, arguments) or an internal error.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit with 0; usage errors were already printed by commander
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isMyelinError(e)) {
      printError(e);
      return e.exitCode;
    }
    printError(e);
    return 2;
  }
}
