import type * as z from 'zod';
import { isErrorCode, type ErrorCode } from '@myelin/errors';
import { describeValue } from '../describe-value.js';

/** Extra facts a custom issue carries to the error mapper (in zod's `params`). */
export interface SpecIssueParams {
  /** Error code to raise instead of MYELIN_ERR_SPEC_INVALID. */
  myelinCode?: ErrorCode;
  /** Drop this issue when the same mapping also has unknown keys (they explain it better). */
  unlessUnknownKeys?: boolean;
}

/**
 * The params `addSpecIssue` put on a custom issue, read back checked (other issues have none).
 *
 * @example specIssueParams(issue).myelinCode // 'MYELIN_ERR_SPEC_ENGINE' or undefined
 */
export function specIssueParams(issue: { code: string; params?: unknown }): SpecIssueParams {
  const p = issue.code === 'custom' ? issue.params : undefined;
  if (typeof p !== 'object' || p === null) return {};
  const out: SpecIssueParams = {};
  if ('myelinCode' in p && isErrorCode(p.myelinCode)) out.myelinCode = p.myelinCode;
  if ('unlessUnknownKeys' in p && p.unlessUnknownKeys === true) out.unlessUnknownKeys = true;
  return out;
}

/** Adds a custom issue with a human message, relative to the schema being refined. */
export function addSpecIssue(
  ctx: z.RefinementCtx,
  path: PropertyKey[],
  message: string,
  params: SpecIssueParams = {},
): void {
  ctx.addIssue({ code: 'custom', path, message, params: { ...params } });
}

/** An error function for a strict mapping (the unknown-key issues are reworded by the mapper). */
export const mappingError = (issue: { input?: unknown; code?: string }): string | undefined =>
  issue.code === 'invalid_type' ? expectedMapping(issue.input) : undefined;

function expectedMapping(input: unknown): string {
  if (input === undefined) return 'required section is missing (expected a mapping of key: value)';
  return `expected a mapping of key: value, got ${describeValue(input)}`;
}
