import type { Command } from 'commander';
import { pipelineJsonSchema } from '@myelin/spec';

export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of the pipeline file (for editors: yaml-language-server $schema).')
    .action(() => {
      process.stdout.write(`${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
    });
}
