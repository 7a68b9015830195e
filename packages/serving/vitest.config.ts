import { defineConfig } from 'vitest/config';

// Integration tests train a small model on a real embedded stack, then serve it.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 180_000 } });
