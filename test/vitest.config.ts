import { defineConfig } from 'vitest/config';

// End-to-end tests start real `myelin` processes that train models: generous timeouts, one file at a time.
export default defineConfig({ test: { testTimeout: 240_000, hookTimeout: 120_000, fileParallelism: false } });
