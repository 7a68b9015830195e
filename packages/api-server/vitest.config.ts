import { defineConfig } from 'vitest/config';

// Route tests submit small real runs (penguins, a few epochs) to an embedded stack.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
