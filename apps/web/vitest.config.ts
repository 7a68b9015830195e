import { defineConfig } from 'vitest/config';

// Unit tests of the page's pure helpers (formatting, SSE parsing, routes): Node, no browser.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
