import type { Command } from 'commander';

/** One file under commands/: the top-level commands it registers, loaded only when one of them runs. */
export interface CommandModule {
  /** Top-level command names with the one-line summary the root `--help` lists. */
  commands: Record<string, string>;
  /** Imports the file (and with it the libraries it needs) and registers its commands. */
  register: () => Promise<(program: Command) => void>;
}

/**
 * Every command of `myelin`, in help order. A process imports only the file of the command it runs,
 * so `myelin --version` and `myelin --help` load no library and `myelin validate` no training engine.
 */
export const COMMAND_TABLE: CommandModule[] = [
  {
    commands: {
      validate:
        'Check a pipeline file, read its data, infer or load the schema, profile it and apply the validation rules.',
    },
    register: async () => (await import('./commands/validate-command.js')).registerValidateCommand,
  },
  {
    commands: { run: 'Run a pipeline end to end on the configured stack (embedded by default).' },
    register: async () => (await import('./commands/run-command.js')).registerRunCommand,
  },
  {
    commands: {
      runs: 'List recent runs, newest first.',
      'run-info': 'Show one run: steps, test metrics, gate verdicts, its model.',
    },
    register: async () => (await import('./commands/runs-command.js')).registerRunsCommands,
  },
  {
    commands: { trials: 'Show the hyperparameter-search trials of a run: parameters, objective, status.' },
    register: async () => (await import('./commands/trials-command.js')).registerTrialsCommand,
  },
  {
    commands: {
      models: 'List registered models, or one model with its versions, metrics and aliases.',
      alias: 'Manage model aliases.',
      verify: 'Re-hash every file of a registered version; exit 1 naming the file on any mismatch.',
    },
    register: async () => (await import('./commands/models-command.js')).registerModelsCommands,
  },
  {
    commands: {
      api: 'Start the queue API (HTTP) on the configured stack.',
      up: 'Start the API plus a worker on the configured stack (and the status page when it is built).',
      trigger: 'Submit a pipeline file to a running Myelin API (--wait follows it).',
    },
    register: async () => (await import('./commands/api-command.js')).registerApiCommands,
  },
  {
    commands: { worker: 'Consume the BullMQ queues of the configured stack and run pipeline steps.' },
    register: async () => (await import('./commands/worker-command.js')).registerWorkerCommand,
  },
  {
    commands: {
      serve: 'Serve registered models over TF Serving REST and KServe V2.',
      deploy: 'Deploy a registered version: direct, canary or shadow.',
    },
    register: async () => (await import('./commands/serve-command.js')).registerServeCommands,
  },
  {
    commands: { schedule: 'List or remove the retraining schedules of submitted pipelines.' },
    register: async () => (await import('./commands/schedule-command.js')).registerScheduleCommands,
  },
  {
    commands: { mlflow: 'Mirror runs and models into an MLflow tracking server.' },
    register: async () => (await import('./commands/mlflow-command.js')).registerMlflowCommands,
  },
  {
    commands: {
      export: 'Write a registered version as a model repository (ONNX for Triton/KServe, or tfjs).',
    },
    register: async () => (await import('./commands/export-command.js')).registerExportCommand,
  },
  {
    commands: { schema: 'Print the JSON Schema of the pipeline file.' },
    register: async () => (await import('./commands/schema-command.js')).registerSchemaCommand,
  },
];
