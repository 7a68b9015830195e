import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { parseManifest } from './parse-manifest.js';

const sha = 'a'.repeat(64);
const stored = () => ({
  schemaVersion: 1,
  model: 'm',
  createdAt: '2026-01-01T00:00:00.000Z',
  files: [{ role: 'model', name: 'model.safetensors', key: `sha256/aa/${sha.slice(2)}`, sha256: sha, size: 3 }],
  specHash: 's',
  dataHash: 'd',
  code: { version: '0.1.0' },
  backend: 'wasm',
  task: 'binary',
  // a non-finite metric and gate value, as JSON stored them
  metrics: { accuracy: 0.9, logLoss: null },
  gates: { logLoss: { passed: false, value: null, bound: '<= 1', kind: 'absolute' } },
  runId: 'r-1',
  inputShape: [4],
  futureField: { kept: true },
});

describe('parseManifest', () => {
  it('reads JSON nulls where numbers belong as NaN and keeps fields it does not know; its canonical JSON (its hash) is unchanged', () => {
    const value = stored();
    const m = parseManifest(value);
    expect(m.metrics.logLoss).toBeNaN();
    expect(m.gates.logLoss?.value).toBeNaN();
    expect(m.gates.logLoss).toMatchObject({ kind: 'absolute' });
    expect(m).toMatchObject({ futureField: { kept: true }, inputShape: [4] });
    expect(canonicalJson(m)).toBe(canonicalJson(value));
  });

  it('names the first bad field', () => {
    expect(() =>
      parseManifest({ ...stored(), gates: { acc: { passed: true, value: 'x', bound: '>= 1' } } }),
    ).toThrow(/gates\.acc must be/);
    expect(() => parseManifest({ ...stored(), code: { version: '1', commit: 3 } })).toThrow(/code\.commit/);
    expect(() => parseManifest({ ...stored(), inputShape: [4, 'x'] }, 'k')).toThrow(
      /k is not a valid model manifest: inputShape/,
    );
  });
});
