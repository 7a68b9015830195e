import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The repository root (five folders above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

/** The transcript: `<repo>/../shared/fixtures/mlflow/mlflow-2.10.2-transcript.json`. */
export const TRANSCRIPT_FILE = join(
  REPO_ROOT,
  '..',
  'shared',
  'fixtures',
  'mlflow',
  'mlflow-2.10.2-transcript.json',
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
