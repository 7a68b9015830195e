import * as z from 'zod';
import { describeValue } from '../describe-value.js';

/**
 * Small builders for the fields of the pipeline schema. Each one carries a human message
 * (`expected a positive number, got "fast"`) so the loader never shows raw zod text.
 */

type IssueLike = { input?: unknown };

/** An error function that says what was expected and what was found. */
export function expected(what: string): (issue: IssueLike) => string {
  return (issue) =>
    issue.input === undefined
      ? `required field is missing (expected ${what})`
      : `expected ${what}, got ${describeValue(issue.input)}`;
}

interface NumberOptions {
  /** Whole numbers only. */
  int?: boolean;
  /** Lower bound; `exclusive` makes it strict. */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Describes a number constraint in words: `a positive integer`, `a number from 0 to 1`. */
function describeNumber(o: NumberOptions): string {
  const noun = o.int ? 'integer' : 'number';
  const a = o.int ? 'an' : 'a';
  const positive =
    o.max === undefined && ((o.min === 0 && o.minExclusive) || (o.int && o.min === 1 && !o.minExclusive));
  if (positive) return `a positive ${noun}`;
  if (o.min === 0 && o.max === undefined) return `a non-negative ${noun}`;
  if (o.min !== undefined && o.max !== undefined) {
    if (!o.minExclusive && !o.maxExclusive) return `${a} ${noun} from ${o.min} to ${o.max}`;
    const lo = o.minExclusive ? `greater than ${o.min}` : `at least ${o.min}`;
    const hi = o.maxExclusive ? `less than ${o.max}` : `at most ${o.max}`;
    return `${a} ${noun} ${lo} and ${hi}`;
  }
  if (o.min !== undefined) return `${a} ${noun} ${o.minExclusive ? 'greater than' : 'at least'} ${o.min}`;
  if (o.max !== undefined) return `${a} ${noun} ${o.maxExclusive ? 'less than' : 'at most'} ${o.max}`;
  return `${a} ${noun}`;
}

/** A finite number (optionally integer and bounded) with a message naming the whole constraint. */
export function num(o: NumberOptions = {}) {
  const error = expected(describeNumber(o));
  let s = o.int ? z.int({ error }) : z.number({ error });
  if (o.min !== undefined) s = o.minExclusive ? s.gt(o.min, { error }) : s.gte(o.min, { error });
  if (o.max !== undefined) s = o.maxExclusive ? s.lt(o.max, { error }) : s.lte(o.max, { error });
  return s;
}

/** A number greater than 0. */
export const positiveNumber = () => num({ min: 0, minExclusive: true });
/** A number of 0 or more. */
export const nonNegativeNumber = () => num({ min: 0 });
/** An integer greater than 0. */
export const positiveInt = () => num({ int: true, min: 1 });
/** An integer of 0 or more. */
export const nonNegativeInt = () => num({ int: true, min: 0 });
/** A number from 0 to 1 inclusive. */
export const fraction = () => num({ min: 0, max: 1 });

/** A non-empty string. */
export function str(what = 'a non-empty string') {
  const error = expected(what);
  return z.string({ error }).min(1, { error });
}

/** A boolean (`true` / `false`). */
export function bool() {
  return z.boolean({ error: expected('true or false') });
}

/** One of a fixed list of words; the message lists them in the order given. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expected(`one of ${values.join(', ')}`) });
}

/** A list whose items follow `item`. */
export function listOf<T extends z.ZodType>(item: T, what = 'a list') {
  return z.array(item, { error: expected(what) });
}

/** An integer or a pair of integers `[rows, cols]`, as for kernel and pool sizes. */
export function intOrPair() {
  const error = expected('a positive integer or a pair [rows, cols] of positive integers');
  const n = z.int({ error }).min(1, { error });
  return z.union([n, z.tuple([n, n], { error })], { error });
}
