import { MyelinError } from '@myelin/errors';
import { parseContentKey } from '../artifact-keys.js';
import type { ManifestEngine, ManifestFile, ManifestGate, ModelManifest } from './model-manifest.js';

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
  const str = (v: unknown, path: string): string =>
    typeof v === 'string' ? v : fail(path, `${path} must be a string`);
  // JSON writes NaN and ±Infinity as null: a null where a number belongs reads back as NaN
  const num = (v: unknown): number | undefined =>
    typeof v === 'number' ? v : v === null ? Number.NaN : undefined;
  if (!isObj(value)) return fail('', 'expected a JSON object');
  if (value.schemaVersion !== 1)
    fail('schemaVersion', `schemaVersion must be 1, got ${JSON.stringify(value.schemaVersion)}`);
  const model = str(value.model, 'model');
  const createdAt = str(value.createdAt, 'createdAt');
  const specHash = str(value.specHash, 'specHash');
  const dataHash = str(value.dataHash, 'dataHash');
  const backend = str(value.backend, 'backend');
  const task = str(value.task, 'task');
  const runId = str(value.runId, 'runId');
  if (value.parentRunId !== undefined && typeof value.parentRunId !== 'string')
    fail('parentRunId', 'parentRunId must be a string');
  const code = value.code;
  if (!isObj(code) || typeof code.version !== 'string')
    return fail('code.version', 'code.version must be a string');
  if (code.commit !== undefined && typeof code.commit !== 'string')
    fail('code.commit', 'code.commit must be a string');
  if (!Array.isArray(value.files)) return fail('files', 'files must be an array');
  const files = value.files.map((f: unknown, i: number): ManifestFile => {
    const at = `files[${i}]`;
    if (!isObj(f)) return fail(at, `${at} must be an object`);
    const role = str(f.role, `${at}.role`);
    const name = str(f.name, `${at}.name`);
    const key = str(f.key, `${at}.key`);
    const sha256 = str(f.sha256, `${at}.sha256`);
    if (!SHA256_HEX.test(sha256)) fail(`${at}.sha256`, `${at}.sha256 must be a hex sha256`);
    if (parseContentKey(key) === null) fail(`${at}.key`, `${at}.key must be an artifact key`);
    const size = f.size;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      return fail(`${at}.size`, `${at}.size must be a non-negative integer`);
    }
    return { ...f, role, name, key, sha256, size };
  });
  if (!isObj(value.metrics)) return fail('metrics', 'metrics must map names to numbers');
  const metrics: Record<string, number> = {};
  for (const [name, v] of Object.entries(value.metrics)) {
    const n = num(v);
    if (n === undefined) return fail('metrics', 'metrics must map names to numbers');
    metrics[name] = n;
  }
  if (!isObj(value.gates)) return fail('gates', 'gates must be an object');
  const gates: Record<string, ManifestGate> = {};
  for (const [name, g] of Object.entries(value.gates)) {
    const gateValue = isObj(g) ? num(g.value) : undefined;
    if (
      !isObj(g) ||
      typeof g.passed !== 'boolean' ||
      typeof g.bound !== 'string' ||
      gateValue === undefined
    ) {
      return fail(`gates.${name}`, `gates.${name} must be { passed: boolean, value: number, bound: string }`);
    }
    gates[name] = { ...g, passed: g.passed, value: gateValue, bound: g.bound };
  }
  let engine: ManifestEngine | undefined;
  if (value.engine !== undefined) {
    const e = value.engine;
    if (
      !isObj(e) ||
      typeof e.name !== 'string' ||
      typeof e.version !== 'string' ||
      typeof e.device !== 'string' ||
      typeof e.threads !== 'number'
    ) {
      return fail('engine', 'engine must be { name, version, device: string, threads: number }');
    }
    engine = { ...e, name: e.name, version: e.version, device: e.device, threads: e.threads };
  }
  let inputShape: number[] | undefined;
  if (value.inputShape !== undefined) {
    const shape = Array.isArray(value.inputShape) ? value.inputShape.map(num) : undefined;
    if (shape === undefined || shape.some((n) => n === undefined)) {
      return fail('inputShape', 'inputShape must be an array of numbers');
    }
    inputShape = shape.filter((n) => n !== undefined);
  }
  // the checked fields, typed; fields this version does not know are kept as they were stored
  return {
    ...value,
    schemaVersion: 1,
    model,
    createdAt,
    files,
    specHash,
    dataHash,
    code: {
      ...code,
      version: code.version,
      ...(typeof code.commit === 'string' ? { commit: code.commit } : {}),
    },
    backend,
    task,
    metrics,
    gates,
    runId,
    ...(typeof value.parentRunId === 'string' ? { parentRunId: value.parentRunId } : {}),
    ...(engine ? { engine } : {}),
    ...(inputShape ? { inputShape } : {}),
  };
}
