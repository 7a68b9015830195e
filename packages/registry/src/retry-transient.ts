import { setTimeout as sleep } from 'node:timers/promises';

const SQLITE_TRANSIENT = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
  'SQLITE_LOCKED',
]);
// serialization_failure, deadlock_detected
const POSTGRES_TRANSIENT = new Set(['40001', '40P01']);

/** Whether a database error is worth retrying: the database was busy or a transaction lost a race. */
export function isTransientDbError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (SQLITE_TRANSIENT.has(code) || POSTGRES_TRANSIENT.has(code));
}

/** Whether a database error is a unique/primary-key violation (two writers took the same key). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Whether a database error is a foreign-key violation (a referenced row does not exist). */
export function isForeignKeyViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/**
 * Runs `fn` again while it fails with an error `retryable` accepts, with jittered exponential
 * back-off (about 10 ms doubling to 500 ms), at most `attempts` times in all.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  retryable: (e: unknown) => boolean = isTransientDbError,
  attempts = 12,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || !retryable(e)) throw e;
      const base = Math.min(500, 10 * 2 ** (attempt - 1));
      await sleep(base / 2 + Math.random() * base);
    }
  }
}
