import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderErrorDocs } from './render-error-docs.js';

describe('docs/errors.md', () => {
  it('lists exactly the codes of the catalogue (run: npx tsx packages/errors/scripts/write-error-docs.ts)', () => {
    const committed = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');
    expect(committed).toBe(renderErrorDocs());
  });
});
