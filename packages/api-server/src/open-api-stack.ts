import { openStack, type Stack } from '@myelin/pipeline';

/**
 * Opens the stack the API serves: the configured one (myelin.stack.yaml / MYELIN_* env, read from
 * `cwd`), the embedded stack when nothing is configured (steps then run in the API process). The
 * one place to change how the API gets its stack.
 */
export async function openApiStack(opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Stack> {
  return openStack({ ...opts, role: 'api' });
}
