import { CronExpressionParser } from 'cron-parser';

/** Allowed range and names of each of the five cron fields. */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

type Field = (typeof FIELDS)[number];

function valueOf(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  if ('names' in field) {
    const i = (field.names as readonly string[]).indexOf(text.toLowerCase());
    if (i >= 0) return i + (field.name === 'month' ? 1 : 0);
  }
  return undefined;
}

function partProblem(part: string, field: Field): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '')
    return `"${part}" is not a valid ${field.name}`;
  if (step !== undefined && !/^[1-9]\d*$/.test(step))
    return `step "${step}" of the ${field.name} must be a positive integer`;
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${range}" is not a valid ${field.name}`;
  const values = bounds.map((b) => valueOf(b, field));
  if (values.some((v) => v === undefined)) {
    return `"${range}" is not a valid ${field.name} (${field.min}-${field.max}${'names' in field ? ' or a name' : ''})`;
  }
  if (values.length === 2 && (values[0] as number) > (values[1] as number))
    return `range "${range}" of the ${field.name} runs backwards`;
  return undefined;
}

/** Why cron-parser finds no time at which the expression fires, or undefined when it fires. */
function neverFires(expression: string): string | undefined {
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' }).next();
    return undefined;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = /day of month/i.test(why) ? ' (no month it names has that day, e.g. 30 February)' : '';
    return `"${expression}" never fires${hint}: ${why}`;
  }
}

/**
 * Checks a five-field cron expression (minute hour day-of-month month day-of-week); returns what is
 * wrong, or undefined when it is well-formed and fires. Supports `*`, lists, ranges, steps and
 * month/day names. Refused: a sixth (seconds) field — a schedule fires at most once a minute —
 * and an expression that never fires (`0 0 30 2 *`), found by cron-parser.
 *
 * @example cronProblem('0 3 * * 1') // undefined
 */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length === 6) {
    return 'a 6-field expression has a seconds field and fires several times a minute; a schedule fires at most once a minute: use 5 fields (minute hour day-of-month month day-of-week)';
  }
  if (parts.length !== 5) {
    return `expected a 5-field cron expression (minute hour day-of-month month day-of-week), got ${parts.length} field${parts.length === 1 ? '' : 's'}`;
  }
  for (const [i, text] of parts.entries()) {
    const field = FIELDS[i] as Field;
    for (const part of text.split(',')) {
      const problem = partProblem(part, field);
      if (problem) return problem;
    }
  }
  return neverFires(expression);
}
