import { describe, expect, it } from 'vitest';
import { parseServeConfigFile } from './serve-config-file.js';

const codeAndMessage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
  return 'no error';
};

describe('parseServeConfigFile', () => {
  it('reads each model with its knobs', () => {
    const models = [
      {
        name: 'penguins',
        alias: 'staging',
        batching: { maxBatchSize: 64, batchTimeoutMs: 2 },
        tokens: ['t1'],
      },
      {
        name: 'flights',
        rollout: { strategy: 'shadow', traffic: 0.2 },
        drift: { metric: 'psi', window: 500 },
      },
    ];
    expect(parseServeConfigFile(JSON.stringify({ models }), 'serve.json')).toEqual(models);
  });

  it('names the file and the field of a bad value, an unknown key or a name listed twice', () => {
    const bad = (models: unknown[]): string =>
      codeAndMessage(() => parseServeConfigFile(JSON.stringify({ models }), 'serve.json'));
    expect(bad([{ name: 'p', batching: { maxBatchSize: 0 } }])).toMatch(
      /^MYELIN_ERR_USAGE: serve\.json models\.0\.batching\.maxBatchSize: /,
    );
    expect(bad([{ name: 'p', rollout: { strategy: 'canary', traffic: 1.5 } }])).toMatch(
      /models\.0\.rollout\.traffic/,
    );
    expect(bad([{ name: 'p' }, { name: 'q', drift: { metrc: 'psi' } }])).toMatch(/models\.1\.drift: .*metrc/);
    expect(bad([{ alias: 'production' }])).toMatch(/models\.0\.name/);
    expect(bad([{ name: 'p' }, { name: 'p' }])).toMatch(/models\.1\.name: model p is listed twice/);
  });

  it('refuses a file that is not JSON without quoting it', () => {
    const msg = codeAndMessage(() => parseServeConfigFile('models: [secret-token-123]', 'serve.json'));
    expect(msg).toMatch(/^MYELIN_ERR_USAGE: serve\.json: not valid JSON/);
    expect(msg).not.toContain('secret');
  });
});
