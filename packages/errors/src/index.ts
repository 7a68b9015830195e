export { ERROR_CODES, exitCodeOf, isErrorCode, type ErrorCode, type ExitCode } from './error-codes.js';
export { renderErrorDocs } from "./render-error-docs.js";
export { MyelinError, MyelinErrorList, isMyelinError, formatLocation, type FaultLocation } from './myelin-error.js';
