import { userInfo } from 'node:os';

/**
 * Who a CLI change is recorded as (alias history, rollouts): `cli:<user>` from `$USER`, `$LOGNAME`
 * or the account the process runs as, so a shell without `$USER` (containers, cron) still names one.
 *
 * @example cliActor() // 'cli:alice'
 */
export function cliActor(): string {
  const env = process.env['USER'] || process.env['LOGNAME'];
  if (env) return `cli:${env}`;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return `cli:uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
