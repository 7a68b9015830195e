// `myelin worker …` for the end-to-end tests while apps/cli/src/main.ts does not register the
// command yet: the same command code, in a program of its own.
import { Command } from 'commander';
import { registerWorkerCommand } from '../../apps/cli/src/commands/worker-command.js';

const program = new Command('myelin').exitOverride();
registerWorkerCommand(program as never); // test/ resolves another commander copy than apps/cli
await program.parseAsync(process.argv);
