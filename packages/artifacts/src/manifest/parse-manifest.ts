import { MyelinError } from '@myelin/errors';
import { parseContentKey } from '../artifact-keys.js';
import type { ModelManifest } from './model-manifest.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks that a parsed JSON value is a `ModelManifest` (schemaVersion 1) and returns it typed.
 * Throws `MYELIN_ERR_ARTIFACT_INTEGRITY` naming the first bad field; `source` (a key or path) is
 * put in the message.
 */
export function parseManifest(value: unknown, source = 'manifest'): ModelManifest {
  const fail = (path: string, want: string): never => {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_INTEGRITY',
      `${source} is not a valid model manifest: ${want}`,
      {
        path,
      },
    );
  };
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(value)) return fail('', 'expected a JSON object');
  if (value.schemaVersion !== 1)
    fail('schemaVersion', `schemaVersion must be 1, got ${JSON.stringify(value.schemaVersion)}`);
  for (const field of ['model', 'createdAt', 'specHash', 'dataHash', 'backend', 'task', 'runId'] as const) {
    if (typeof value[field] !== 'string') fail(field, `${field} must be a string`);
  }
  if (value.parentRunId !== undefined && typeof value.parentRunId !== 'string')
    fail('parentRunId', 'parentRunId must be a string');
  if (!isObj(value.code) || typeof value.code.version !== 'string')
    fail('code.version', 'code.version must be a string');
  if (!Array.isArray(value.files)) return fail('files', 'files must be an array');
  value.files.forEach((f: unknown, i: number) => {
    const at = `files[${i}]`;
    if (!isObj(f)) return fail(at, `${at} must be an object`);
    for (const field of ['role', 'name', 'key', 'sha256'] as const) {
      if (typeof f[field] !== 'string') fail(`${at}.${field}`, `${at}.${field} must be a string`);
    }
    if (!SHA256_HEX.test(f.sha256 as string)) fail(`${at}.sha256`, `${at}.sha256 must be a hex sha256`);
    if (parseContentKey(f.key as string) === null) fail(`${at}.key`, `${at}.key must be an artifact key`);
    if (typeof f.size !== 'number' || !Number.isInteger(f.size) || f.size < 0) {
      fail(`${at}.size`, `${at}.size must be a non-negative integer`);
    }
  });
  if (
    !isObj(value.metrics) ||
    Object.values(value.metrics).some((v) => typeof v !== 'number' && v !== null)
  ) {
    fail('metrics', 'metrics must map names to numbers');
  }
  if (!isObj(value.gates)) return fail('gates', 'gates must be an object');
  for (const [name, g] of Object.entries(value.gates)) {
    if (!isObj(g) || typeof g.passed !== 'boolean' || typeof g.bound !== 'string') {
      fail(`gates.${name}`, `gates.${name} must be { passed: boolean, value: number, bound: string }`);
    }
  }
  if (value.engine !== undefined) {
    const e = value.engine;
    if (
      !isObj(e) ||
      typeof e.name !== 'string' ||
      typeof e.version !== 'string' ||
      typeof e.device !== 'string' ||
      typeof e.threads !== 'number'
    ) {
      fail('engine', 'engine must be { name, version, device: string, threads: number }');
    }
  }
  if (value.inputShape !== undefined) {
    if (
      !Array.isArray(value.inputShape) ||
      value.inputShape.some((n) => typeof n !== 'number' && n !== null)
    ) {
      fail('inputShape', 'inputShape must be an array of numbers');
    }
  }
  // every field was checked above; the parsed value is now a ModelManifest
  return value as unknown as ModelManifest;
}
