import { defineConfig } from 'vitest/config';

// CLI tests start real `myelin` processes (tsx transpiles on start), so they get more time than unit tests.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
