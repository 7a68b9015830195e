import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorDocs } from '../src/render-error-docs.js';

const target = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));
writeFileSync(target, renderErrorDocs());
console.log(`wrote ${target}`);
