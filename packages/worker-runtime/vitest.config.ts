import { defineConfig } from 'vitest/config';

// Integration tests start their own redis-server and train small models.
export default defineConfig({ test: { testTimeout: 180_000, hookTimeout: 60_000, fileParallelism: false } });
