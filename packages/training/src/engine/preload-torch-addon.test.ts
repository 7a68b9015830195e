import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnWorkerThread, preloadTorchAddon } from './preload-torch-addon.js';
import { loadTorchAddonFrom, torchAddonPath } from './torch-addon.js';

describe('preloadTorchAddon', () => {
  it('settles without loading anything when tfjs is forced', async () => {
    await expect(preloadTorchAddon({ MYELIN_ENGINE: 'tfjs' })).resolves.toBeUndefined();
  });

  it('a file that is no addon settles the preload, and the real load still says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myelin-preload-'));
    const bad = join(dir, 'myelin_torch.node');
    writeFileSync(bad, 'not an ELF file');
    await expect(loadOnWorkerThread(bad)).resolves.toBeUndefined();
    const load = loadTorchAddonFrom(bad);
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.why).toContain('failed to load');
  });

  const built = torchAddonPath();
  it.runIf(built !== undefined && existsSync(built))(
    'after a preload, the addon loads on the main thread and works',
    async () => {
      await loadOnWorkerThread(built!);
      const load = loadTorchAddonFrom(built);
      expect(load.ok).toBe(true);
      if (load.ok) expect(load.addon.info().torchVersion).toMatch(/^\d+\.\d+/);
    },
  );
});
