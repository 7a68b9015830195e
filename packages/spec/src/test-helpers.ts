import { MyelinError, MyelinErrorList } from '@myelin/errors';
import { parseSpec } from './parse-spec.js';

/** The smallest valid pipeline file; tests append to it or replace lines. */
export const MINIMAL = `apiVersion: myelin/v1
name: tiny
data:
  source: ./rows.csv
  target: y
model:
  layers:
    - dense: { units: 4 }
`;

/** A located error, flattened for assertions. */
export interface SeenError {
  code: string;
  line: number | undefined;
  column: number | undefined;
  path: string | undefined;
  detail: string;
  message: string;
}

/** Parses `text` expecting failure; returns every error found (a single MyelinError as one). */
export function errorsOf(text: string, file = 'pipeline.yaml'): SeenError[] {
  try {
    parseSpec(text, file);
  } catch (error) {
    if (!(error instanceof MyelinError)) throw error;
    const list = error instanceof MyelinErrorList ? error.errors : [error];
    return list.map((e) => ({
      code: e.code,
      line: e.location?.line,
      column: e.location?.column,
      path: e.location?.path,
      detail: e.detail,
      message: e.message,
    }));
  }
  throw new Error('expected parseSpec to throw');
}
