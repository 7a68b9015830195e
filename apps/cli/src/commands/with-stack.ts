import { openStack, type OpenStackOptions, type Stack } from '@myelin/pipeline/stack';

/** Opens the configured stack (myelin.stack.yaml and MYELIN_* env; embedded by default) for one command and always closes it. */
export async function withStack<T>(
  fn: (stack: Stack) => Promise<T>,
  options: Pick<OpenStackOptions, 'mirror'> = {},
): Promise<T> {
  const stack = await openStack(options);
  try {
    return await fn(stack);
  } finally {
    await stack.close();
  }
}
