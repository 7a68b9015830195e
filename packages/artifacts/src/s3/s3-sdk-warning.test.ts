import { describe, expect, it } from 'vitest';
import { S3ArtifactStore } from './s3-artifact-store.js';

describe('S3ArtifactStore on Node 20', () => {
  it("prints no AWS SDK Node-version notice when it makes its client (Myelin's processes stay quiet)", async () => {
    const warnings: string[] = [];
    const listen = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', listen);
    try {
      const store = new S3ArtifactStore({ bucket: 'quiet-bucket', endpoint: 'http://127.0.0.1:9' });
      expect(store.bucket).toBe('quiet-bucket');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.filter((w) => /AWS SDK/.test(w))).toEqual([]);
  });
});
