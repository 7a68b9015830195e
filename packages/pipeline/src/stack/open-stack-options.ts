import type { StackConfig } from './stack-config.js';

/** Options of `openStack`. */
export interface OpenStackOptions {
  /** Folder holding `myelin.stack.yaml`; relative paths resolve here. @defaultValue process.cwd() */
  cwd?: string;
  /** Environment read for `MYELIN_*` settings (winning over the file). @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Who opens it: `worker` needs Redis (it consumes the queues); `cli` and `api` dispatch through
   * the queues when Redis is configured and run steps in-process otherwise. @defaultValue 'cli'
   */
  role?: 'cli' | 'api' | 'worker';
  /** A configuration already loaded (skips reading file and env). @defaultValue loaded from cwd and env */
  config?: StackConfig;
  /**
   * Open the configured MLflow mirror (and deliver what it queued when the stack closes). false:
   * no mirror, for commands that manage the mirror themselves (`myelin mlflow status` must only
   * report). @defaultValue true
   */
  mirror?: boolean;
}
