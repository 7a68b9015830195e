import { defineConfig } from 'vitest/config';

// Integration tests here train small models on a real embedded stack.
export default defineConfig({ test: { testTimeout: 120_000 } });
