import { openEmbeddedStack, type Stack } from '@myelin/pipeline';

/** Opens the configured stack for one command and always closes it. */
export async function withStack<T>(fn: (stack: Stack) => Promise<T>): Promise<T> {
  const stack = await openEmbeddedStack();
  try {
    return await fn(stack);
  } finally {
    await stack.close();
  }
}
