import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One recorded request/response pair of MLflow 2.10.2. */
export interface RecordedCall {
  name: string;
  method: string;
  path: string;
  query: Record<string, string> | null;
  request: unknown;
  status: number;
  response: Record<string, unknown>;
}

/**
 * The transcript, kept in the repository beside the adapter:
 * `packages/registry/src/mlflow/fixtures/mlflow-2.10.2-transcript.json` (see its README.md).
 */
export const TRANSCRIPT_FILE = fileURLToPath(
  new URL('../fixtures/mlflow-2.10.2-transcript.json', import.meta.url),
);

/** Reads the recorded calls. */
export function loadTranscript(): RecordedCall[] {
  return (JSON.parse(readFileSync(TRANSCRIPT_FILE, 'utf8')) as { calls: RecordedCall[] }).calls;
}

/** The recorded call with this name (throws when the transcript lacks it). */
export function recorded(calls: RecordedCall[], name: string): RecordedCall {
  const c = calls.find((x) => x.name === name);
  if (!c) throw new Error(`the transcript has no call named "${name}"`);
  return c;
}
