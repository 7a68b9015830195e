import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMyelinError } from '@myelin/errors';
import { findFlavor, openFlavor } from './open-flavor.js';
import { STACK_FLAVORS } from './stack-flavors.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-flavors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(p: Promise<unknown>) {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isMyelinError(e)) throw new Error(`expected a MyelinError, got ${String(e)}`);
  return e;
}

describe('STACK_FLAVORS', () => {
  it('lists every port with its kinds, the engine by reference to its own selection', () => {
    expect(STACK_FLAVORS.executor.map((f) => f.kind)).toEqual(['local', 'bullmq']);
    expect(STACK_FLAVORS.artifacts.map((f) => f.kind)).toEqual(['fs', 's3']);
    expect(STACK_FLAVORS.database.map((f) => f.kind)).toEqual(['sqlite', 'postgres']);
    expect(STACK_FLAVORS.mlflow.map((f) => f.kind)).toEqual(['mlflow']);
    expect(STACK_FLAVORS.engine.kinds).toContain('torch');
    expect(typeof STACK_FLAVORS.engine.select).toBe('function');
  });

  it('names the field and the known kinds for an unknown kind', () => {
    let caught: unknown;
    try {
      findFlavor(STACK_FLAVORS.database, 'mysql', 'database');
    } catch (e) {
      caught = e;
    }
    expect(isMyelinError(caught) && caught.code).toBe('MYELIN_ERR_STACK_CONFIG');
    expect(String(caught)).toContain('database.kind: unknown database kind "mysql" (known: sqlite, postgres)');
  });

  it('opens the flavor its kind names, and refuses a config its schema does not accept', async () => {
    const store = await openFlavor(STACK_FLAVORS.artifacts, { kind: 'fs', root: join(dir, 'a') }, undefined, 'artifacts');
    expect(store.describe()).toContain(join(dir, 'a'));
    const meta = await openFlavor(STACK_FLAVORS.database, { kind: 'sqlite', dir: join(dir, 'm') }, undefined, 'database');
    try {
      const executor = await openFlavor(STACK_FLAVORS.executor, { kind: 'local' }, { meta }, 'executor');
      expect(executor.name).toBe('local');
      const bad = await failure(
        openFlavor(STACK_FLAVORS.executor, { kind: 'bullmq', url: 'http://x', prefix: 'p' }, { meta }, 'executor'),
      ).catch((e: unknown) => e);
      expect(String(bad)).toMatch(/redis:\/\/ or rediss:\/\//);
      const down = await failure(
        openFlavor(STACK_FLAVORS.executor, { kind: 'bullmq', url: 'redis://127.0.0.1:1', prefix: 'p' }, { meta }, 'executor'),
      );
      expect(down.code).toBe('MYELIN_ERR_STACK_UNREACHABLE');
    } finally {
      await meta.close();
    }
  });
});
