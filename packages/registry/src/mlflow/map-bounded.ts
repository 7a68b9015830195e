/**
 * Runs `fn` over `items` with at most `limit` calls in flight; resolves when all settled.
 * `fn` must not throw (handle errors inside it): one failure does not stop the others.
 *
 * @example
 * await mapBounded(entries, 4, (e) => deliver(e));
 */
export async function mapBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
