import { isMyelinError, MyelinErrorList, type MyelinError } from '@myelin/errors';

/** One located problem of an error response. */
export interface ApiErrorDetail {
  /** The message as the CLI prints it, location first (`pipeline.yaml:14:5 train.epochs: …`). */
  message: string;
  code?: string;
  line?: number;
  column?: number;
  /** Field path (`train.optimizer.learningRate`) or request part (`body.spec`). */
  path?: string;
}

/** The one shape of every error response. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: ApiErrorDetail[] };
}

function detailOf(e: MyelinError): ApiErrorDetail {
  const loc = e.location;
  return {
    message: e.message,
    code: e.code,
    ...(loc?.line !== undefined ? { line: loc.line } : {}),
    ...(loc?.column !== undefined ? { column: loc.column } : {}),
    ...(loc?.path !== undefined ? { path: loc.path } : {}),
  };
}

/** The error response body for a MyelinError: every located message of a list as a detail. */
export function apiErrorBody(e: MyelinError): ApiErrorBody {
  if (e instanceof MyelinErrorList) {
    return { error: { code: e.code, message: e.message, details: e.errors.map(detailOf) } };
  }
  const located = isMyelinError(e) && e.location !== undefined;
  return { error: { code: e.code, message: e.message, ...(located ? { details: [detailOf(e)] } : {}) } };
}
