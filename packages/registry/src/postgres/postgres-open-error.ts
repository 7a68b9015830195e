import { MyelinError } from '@myelin/errors';
import { maskPostgresUrl } from './mask-postgres-url.js';

/**
 * Turns a failure to connect to PostgreSQL into a `MYELIN_ERR_STACK_UNREACHABLE` (the stack's database
 * cannot be reached or refused the login, as docs/errors.md says) that names the URL (with
 * the password masked) and says what to do: server unreachable, host unknown, no answer in time,
 * authentication refused, database missing. The original error is kept as `cause`.
 */
export function postgresOpenError(url: string, e: unknown, connectTimeoutMs?: number): MyelinError {
  const masked = maskPostgresUrl(url);
  const target = serverOf(url);
  const codes = errorCodes(e);
  const raw = scrubPassword(url, e instanceof Error ? e.message : String(e));
  let reason: string;
  if (codes.has('ECONNREFUSED')) {
    reason = `the server at ${target} refused the connection (ECONNREFUSED); start PostgreSQL or fix the host and port in the URL`;
  } else if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) {
    reason = `the host of ${target} is unknown (${codes.has('ENOTFOUND') ? 'ENOTFOUND' : 'EAI_AGAIN'}); fix the host in the URL`;
  } else if (codes.has('ETIMEDOUT') || /timeout/i.test(raw)) {
    reason = `the server at ${target} did not answer${connectTimeoutMs ? ` within ${connectTimeoutMs} ms` : ''}; check the host, port and firewall`;
  } else if (codes.has('28P01') || codes.has('28000') || /SASL|password/i.test(raw)) {
    reason = `authentication failed (${raw}); check the user and password in the URL and the server's pg_hba.conf`;
  } else if (codes.has('3D000')) {
    reason = `${raw}; create it (e.g. \`createdb ${databaseOf(url)}\`) or fix the database name in the URL`;
  } else {
    reason = `cannot connect: ${raw}`;
  }
  return new MyelinError(
    'MYELIN_ERR_STACK_UNREACHABLE',
    `cannot open the metadata store ${masked}: ${reason}`,
    undefined,
    {
      cause: e,
    },
  );
}

/** The error's `code`, and those of the errors inside an `AggregateError` (one per address tried). */
function errorCodes(e: unknown): Set<string> {
  const codes = new Set<string>();
  const add = (x: unknown): void => {
    const code = (x as { code?: unknown } | null | undefined)?.code;
    if (typeof code === 'string') codes.add(code);
  };
  add(e);
  if (e instanceof AggregateError) for (const inner of e.errors) add(inner);
  return codes;
}

function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'the URL';
  }
}

function databaseOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || '<name>';
  } catch {
    return '<name>';
  }
}

/** Never echo the password, should a driver message contain it. */
function scrubPassword(url: string, message: string): string {
  let password = '';
  try {
    const u = new URL(url);
    password = decodeURIComponent(u.password) || (u.searchParams.get('password') ?? '');
  } catch {
    return message;
  }
  return password.length >= 4 ? message.split(password).join('***') : message;
}
