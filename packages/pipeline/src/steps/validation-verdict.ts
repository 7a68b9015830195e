import type { Anomaly } from '@myelin/data';
import type { ValidationStatus } from './validate-data.js';

/** The last line of a validation, in words that agree with the anomalies counted above it. */
export interface ValidationVerdict {
  /** `ok`: nothing found; `warn`: found, and a run goes on; `fail`: a run stops. */
  tone: 'ok' | 'warn' | 'fail';
  text: string;
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Says what a validation means for a run: errors under `onFailure: warn` are still errors (the
 * run goes on), never "valid".
 *
 * @example validationVerdict('warned', [{ severity: 'error', … }]).text // '1 error: validate.onFailure is warn, so a run goes on'
 */
export function validationVerdict(status: ValidationStatus, anomalies: readonly Anomaly[]): ValidationVerdict {
  const errors = anomalies.filter((a) => a.severity === 'error').length;
  const warnings = anomalies.length - errors;
  if (status === 'failed')
    return { tone: 'fail', text: `invalid data: ${count(errors, 'error')}; validate.onFailure is fail, so a run stops here` };
  if (errors > 0)
    return {
      tone: 'warn',
      text: `${count(errors, 'error')}${warnings ? ` and ${count(warnings, 'warning')}` : ''}: validate.onFailure is warn, so a run goes on`,
    };
  if (warnings > 0) return { tone: 'warn', text: `valid, with ${count(warnings, 'warning')}` };
  return { tone: 'ok', text: 'valid' };
}
