import pc from 'picocolors';
import { isMyelinError, MyelinErrorList } from '@myelin/errors';

/** Prints an error for a person: the located message(s), never a stack trace (unless MYELIN_DEBUG=1). */
export function printError(e: unknown): void {
  if (e instanceof MyelinErrorList) {
    process.stderr.write(`${pc.red('error')} ${e.errors.length} problem(s):\n`);
    for (const err of e.errors) process.stderr.write(`  ${err.message}  ${pc.dim(`[${err.code}]`)}\n`);
  } else if (isMyelinError(e)) {
    process.stderr.write(`${pc.red('error')} ${e.message}  ${pc.dim(`[${e.code}]`)}\n`);
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${pc.red('internal error')} ${msg}\n`);
  }
  if (process.env.MYELIN_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
}

/** Serialises an error for `--json` output. */
export function errorJson(e: unknown): Record<string, unknown> {
  if (e instanceof MyelinErrorList)
    return { code: e.code, message: e.message, errors: e.errors.map((x) => x.toJSON()) };
  if (isMyelinError(e)) return { ...e.toJSON(), errors: [e.toJSON()] };
  return { code: 'MYELIN_ERR_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** Writes one JSON document followed by a newline to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
