import { ERROR_CODES } from './error-codes.js';

/** Renders docs/errors.md from the catalogue, so the docs can never drift from the code. */
export function renderErrorDocs(): string {
  const lines = [
    '# Myelin error codes',
    '',
    'Every error Myelin raises on purpose carries one of these codes and the location of the fault',
    '(file:line:column and field path, data row and column, or request part). The CLI exits with the',
    'code shown: 0 ok, 1 the data or a gate failed a check, 2 bad input (pipeline file, data file,',
    'arguments, a service of the stack that cannot be reached), 3 an internal error (a bug in Myelin:',
    '`MYELIN_DEBUG=1` prints its stack trace). Generated from `packages/errors/src/error-codes.ts` by',
    '`npx tsx packages/errors/scripts/write-error-docs.ts`.',
    '',
    '| code | exit | meaning |',
    '| --- | --- | --- |',
  ];
  for (const [code, e] of Object.entries(ERROR_CODES)) lines.push(`| \`${code}\` | ${e.exit} | ${e.summary} |`);
  return `${lines.join('\n')}\n`;
}
