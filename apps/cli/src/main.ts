import { Command, CommanderError } from 'commander';
import { ERROR_CODES, isMyelinError } from '@myelin/errors';
import { COMMAND_TABLE } from './command-table.js';
import { printError } from './output.js';

/** The command an argument list asks for: its first word that is not an option (`help <command>` too). */
function requestedCommand(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * Builds the `myelin` program for one argument list. Each command lives in its own file under
 * commands/; only the file of the requested command is imported, the others are listed (for
 * `--help`) by their summary in the command table.
 */
export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('myelin')
    .description('Myelin: end-to-end neural-network pipelines from one declarative file.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const requested = requestedCommand(argv.slice(2));
  for (const entry of COMMAND_TABLE) {
    if (requested !== undefined && requested in entry.commands) (await entry.register())(program);
    else
      for (const [name, summary] of Object.entries(entry.commands))
        program.command(name).description(summary);
  }
  return program;
}

/**
 * Runs the CLI and returns the process exit code: 0 ok, 1 the data or a gate failed a check,
 * 2 bad input (pipeline file, data file, arguments), 3 an internal error (a bug: MYELIN_DEBUG=1 prints its stack).
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
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
    return ERROR_CODES.MYELIN_ERR_INTERNAL.exit;
  }
}
