import { ERROR_CODES, type ErrorCode, type ExitCode } from './error-codes.js';

/** Where a fault is: a file (and position in it), a field path, a row, a column, a request part. */
export interface FaultLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Field path inside a document, e.g. `train.optimizer.learningRate`. */
  path?: string;
  /** 1-based data row number. */
  row?: number;
  /** Data column name. */
  dataColumn?: string;
}

/** Formats a location as `file:line:col path` (the parts that are known). */
export function formatLocation(loc: FaultLocation | undefined): string {
  if (!loc) return '';
  let out = '';
  if (loc.file) {
    out += loc.file;
    if (loc.line !== undefined) out += `:${loc.line}`;
    if (loc.line !== undefined && loc.column !== undefined) out += `:${loc.column}`;
  }
  if (loc.row !== undefined) out += `${out ? ' ' : ''}row ${loc.row}`;
  if (loc.dataColumn !== undefined) out += `${out ? ' ' : ''}column "${loc.dataColumn}"`;
  if (loc.path) out += `${out ? ' ' : ''}${loc.path}`;
  return out;
}

/**
 * Base of every error Myelin raises on purpose. `code` is from the catalogue in error-codes.ts,
 * `location` says where, `detail` is the plain message without the location.
 *
 * @example
 * throw new MyelinError('MYELIN_ERR_SPEC_INVALID', 'expected a positive number, got "fast"',
 *   { file: 'penguins.yaml', line: 14, column: 5, path: 'train.optimizer.learningRate' });
 * // message: penguins.yaml:14:5 train.optimizer.learningRate: expected a positive number, got "fast"
 */
export class MyelinError extends Error {
  readonly code: ErrorCode;
  readonly location: FaultLocation | undefined;
  readonly detail: string;

  constructor(code: ErrorCode, detail: string, location?: FaultLocation, options?: { cause?: unknown }) {
    const where = formatLocation(location);
    super(where ? `${where}: ${detail}` : detail, options);
    this.name = 'MyelinError';
    this.code = code;
    this.detail = detail;
    this.location = location;
  }

  /** The process exit code the CLI uses for this error. */
  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }

  toJSON(): { code: ErrorCode; message: string; location?: FaultLocation } {
    return { code: this.code, message: this.message, ...(this.location ? { location: this.location } : {}) };
  }
}

/** Several located errors found in one pass (e.g. every problem of a pipeline file). */
export class MyelinErrorList extends MyelinError {
  readonly errors: MyelinError[];
  constructor(errors: MyelinError[]) {
    const first = errors[0];
    if (!first) throw new Error('MyelinErrorList needs at least one error');
    super(first.code, errors.map((e) => e.message).join('\n'), undefined);
    this.name = 'MyelinErrorList';
    this.errors = errors;
    this.message = errors.map((e) => e.message).join('\n');
  }
}

export function isMyelinError(e: unknown): e is MyelinError {
  return e instanceof MyelinError;
}
