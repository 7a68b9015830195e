import { MyelinError, type ErrorCode } from '@myelin/errors';
import type { Document, LineCounter } from 'yaml';
import type * as z from 'zod';
import { schemaAt } from './allowed-keys.js';
import { describeValue } from './describe-value.js';
import { formatPath } from './format-path.js';
import { locateNode } from './locate-node.js';
import { LAYER_TYPES, layerSchema } from './schema/model-section.js';
import { specIssueParams } from './schema/spec-issue.js';
import { didYouMean } from '@myelin/data/config';

/** What the mapper needs to point an issue back at the file. */
export interface IssueContext {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The parsed document (as given to the schema). */
  input: unknown;
  /** The schema the issues came from. */
  schema: z.ZodType;
}

/** A zod default message (not one of ours): those start with a capital word like "Invalid". */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** A human message for an issue whose message zod wrote. */
function fallbackMessage(issue: z.core.$ZodIssue, input: unknown): string {
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined
        ? `required field is missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${describeValue(got)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}, got ${describeValue(got)}`;
    case 'too_small':
      return `expected at least ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}, got ${describeValue(got)}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}, got ${describeValue(got)}`;
    default:
      return `invalid value ${describeValue(got)}`;
  }
}

/**
 * Drops issues marked `unlessUnknownKeys` when an unknown-keys issue sits at the same path, e.g.
 * "a layer needs exactly one type" next to "unknown layer type "dens"".
 */
export function withoutShadowedIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const unknownAt = new Set(
    issues.filter((i) => i.code === 'unrecognized_keys').map((i) => formatPath(i.path)),
  );
  return issues.filter((i) => {
    return !(specIssueParams(i).unlessUnknownKeys && unknownAt.has(formatPath(i.path)));
  });
}

/**
 * Turns one zod issue into located MyelinErrors (an unknown-keys issue gives one per key).
 * Messages read `unknown key "epoch"; did you mean "epochs"?` or `expected a positive number, got "fast"`.
 */
export function issueToErrors(issue: z.core.$ZodIssue, ctx: IssueContext): MyelinError[] {
  const make = (code: ErrorCode, path: readonly PropertyKey[], detail: string) =>
    new MyelinError(code, detail, {
      file: ctx.file,
      ...locateNode(ctx.doc, ctx.lineCounter, path),
      path: formatPath(path) || '(top level)',
    });

  if (issue.code === 'unrecognized_keys') {
    const { schema, keys } = schemaAt(ctx.schema, issue.path, ctx.input);
    const isLayer = schema === layerSchema || keys.join() === LAYER_TYPES.join();
    return issue.keys.map((key) => {
      const hint = didYouMean(key, keys);
      const detail = isLayer
        ? `unknown layer type "${key}"${hint || `; expected one of ${LAYER_TYPES.join(', ')}`}`
        : `unknown key "${key}"${hint || (keys.length > 0 ? ` (allowed here: ${keys.join(', ')})` : '')}`;
      return make('MYELIN_ERR_SPEC_UNKNOWN_KEY', [...issue.path, key], detail);
    });
  }

  const params = specIssueParams(issue);
  const isApiVersion = issue.path.length === 1 && issue.path[0] === 'apiVersion';
  const code: ErrorCode =
    params.myelinCode ?? (isApiVersion ? 'MYELIN_ERR_SPEC_API_VERSION' : 'MYELIN_ERR_SPEC_INVALID');
  const detail = ZOD_DEFAULT_MESSAGE.test(issue.message) ? fallbackMessage(issue, ctx.input) : issue.message;
  return [make(code, issue.path, detail)];
}
