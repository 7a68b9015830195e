import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { myelin, penguinsPipeline, repoRoot, scratchFolders, startMyelin } from './myelin-cli.js';

const tmp = scratchFolders();

interface Summary {
  status: string;
  runId: string;
  metrics: { test: Record<string, number> };
  gates: Record<string, { passed: boolean; value: number; bound: string }>;
  model: { name: string; version: number; manifest: string } | null;
  manifest: string | null;
  steps: { name: string; status: string }[];
  error: { code: string; message: string } | null;
  engine: { name: string; version: string; device: string; threads: number } | null;
}

describe('myelin run on the embedded stack (real processes)', () => {
  it('trains on the tfjs engine (wasm) when told to, and records the engine in the manifest', () => {
    const home = tmp('home-tfjs');
    const r = myelin(['run', 'examples/penguins/pipeline.yaml', '--json'], home, repoRoot, {
      MYELIN_ENGINE: 'tfjs',
    });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.engine).toMatchObject({ name: 'tfjs', device: 'wasm' });
    expect(r.stderr).toMatch(/engine: tfjs \(tfjs 4\.\d+\.\d+, wasm\)/);
    expect(s.metrics.test.accuracy).toBeGreaterThanOrEqual(0.95);
    const manifest = JSON.parse(readFileSync(join(home, 'artifacts', s.model!.manifest)).toString()) as {
      engine: { name: string };
      backend: string;
      files: { role: string; name: string }[];
    };
    expect(manifest.engine.name).toBe('tfjs');
    expect(manifest.backend).toBe('wasm');
    expect(manifest.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['model.safetensors', 'model.json', 'weights.bin']),
    );
  });

  it('runs the penguins example end to end, registers it, and verify catches a flipped byte', () => {
    const home = tmp('home');
    const r = myelin(['run', 'examples/penguins/pipeline.yaml', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.status).toBe('succeeded');
    expect(s.metrics.test.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(s.gates.accuracy).toMatchObject({ passed: true, bound: '>= 0.95' });
    expect(s.model).toMatchObject({ name: 'penguins', version: 1 });
    // CI builds the torch addon (MYELIN_REQUIRE_TORCH=1): the run must train on it and say so
    const engine = process.env['MYELIN_REQUIRE_TORCH'] === '1' ? 'torch' : '(torch|tfjs)';
    expect(r.stderr).toMatch(new RegExp(`engine: ${engine} \\((libtorch|tfjs) \\d`));
    expect(s.engine?.name).toMatch(new RegExp(`^${engine}$`));

    const ok = myelin(['verify', 'penguins:staging'], home);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ok penguins@1/);

    // flip one byte of the stored weights file
    const v = JSON.parse(myelin(['verify', 'penguins@1', '--json'], home).stdout) as { manifest: string };
    const manifest = JSON.parse(readFileSync(join(home, 'artifacts', v.manifest)).toString()) as {
      files: { role: string; key: string }[];
    };
    const weights = manifest.files.find((f) => f.role === 'weights')!;
    const path = join(home, 'artifacts', weights.key);
    const bytes = readFileSync(path);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(path, bytes);
    const bad = myelin(['verify', 'penguins:staging'], home);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/weights\.bin: hash-mismatch/);

    // loading the tampered version (as the champion of a new run) is refused, naming the artifact
    const dir = tmp('champ');
    const cmp = myelin(
      ['run', penguinsPipeline(dir, { compareTo: 'staging', epochs: 5, gate: 0.5 }), '--json'],
      home,
    );
    expect(cmp.code).toBe(1);
    const cs = JSON.parse(cmp.stdout) as Summary;
    expect(cs.error!.code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    expect(cs.error!.message).toContain(weights.key);
  });

  it('gives identical metrics for the same seed, and serves an unchanged re-run from the step cache', () => {
    const dir = tmp('seed');
    const file = penguinsPipeline(dir, { epochs: 8, gate: 0.5 });
    const a = JSON.parse(myelin(['run', file, '--json', '--no-cache'], tmp('h1')).stdout) as Summary;
    const b = JSON.parse(myelin(['run', file, '--json', '--no-cache'], tmp('h2')).stdout) as Summary;
    expect(a.status).toBe('succeeded');
    expect(b.metrics.test).toEqual(a.metrics.test);

    const home = tmp('cache');
    const first = JSON.parse(myelin(['run', file, '--json'], home).stdout) as Summary;
    const again = JSON.parse(myelin(['run', file, '--json'], home).stdout) as Summary;
    expect(again.steps.filter((s) => s.status === 'cached').map((s) => s.name)).toEqual([
      'ingest',
      'validate',
      'preprocess',
      'train',
      'register',
    ]);
    expect(again.model).toEqual(first.model); // no duplicate version for an unchanged pipeline
    expect(again.metrics.test).toEqual(first.metrics.test);
    const forced = JSON.parse(myelin(['run', file, '--json', '--no-cache'], home).stdout) as Summary;
    expect(forced.steps.every((s) => s.status === 'succeeded')).toBe(true);
  });

  it('a failed gate exits 1 and registers nothing under the alias; compareTo a missing alias passes and says so', () => {
    const home = tmp('gate');
    const dir = tmp('gate-p');
    const fail = myelin(['run', penguinsPipeline(dir, { epochs: 1, gate: 0.9999 }), '--json'], home);
    expect(fail.code).toBe(1);
    const s = JSON.parse(fail.stdout) as Summary;
    expect(s.error!.code).toBe('MYELIN_ERR_GATE_FAILED');
    expect(s.gates.accuracy!.passed).toBe(false);
    expect(s.model).toBeNull();
    expect(s.manifest).toMatch(/^sha256\//);
    const models = myelin(['models', '--json'], home);
    expect(JSON.parse(models.stdout)).toEqual([]);
    expect(myelin(['verify', 'penguins:staging'], home).code).toBe(1);

    const first = myelin(
      [
        'run',
        penguinsPipeline(dir, { name: 'firstmodel', epochs: 10, gate: 0.5, compareTo: 'production' }),
        '--json',
      ],
      home,
    );
    expect(first.code, first.stderr).toBe(0);
    const fs = JSON.parse(first.stdout) as Summary & { comparison: { note: string; version: number | null } };
    expect(fs.comparison).toMatchObject({ version: null });
    expect(fs.comparison.note).toMatch(/first model/);
    const info = JSON.parse(myelin(['run-info', fs.runId, '--json'], home).stdout) as {
      steps: { name: string; logs: string }[];
    };
    expect(info.steps.find((x) => x.name === 'evaluate')!.logs).toMatch(
      /no model under alias "production" yet/,
    );
  });

  it('a run killed mid-training leaves no half-registered version, and the next run works', async () => {
    const home = tmp('kill');
    const dir = tmp('kill-p');
    const file = penguinsPipeline(dir, { name: 'killed', epochs: 400, gate: 0.5, checkpointEvery: 2 });
    const child = startMyelin(['run', file], home);
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (/epoch 10\//.test(err)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`myelin exited before training: ${err}`)));
    });
    await new Promise((r) => child.once('close', r));
    const models = JSON.parse(myelin(['models', '--json'], home).stdout) as unknown[];
    expect(models).toEqual([]);
    const next = myelin(
      ['run', penguinsPipeline(dir, { name: 'killed', epochs: 10, gate: 0.5 }), '--json'],
      home,
    );
    expect(next.code, next.stderr).toBe(0);
    expect((JSON.parse(next.stdout) as Summary).model).toMatchObject({ name: 'killed', version: 1 });
    expect(myelin(['verify', 'killed:staging'], home).code).toBe(0);
  });

  it('an unwritable Myelin folder gives a clear error, not a stack trace', () => {
    const dir = tmp('ro');
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = myelin(['run', 'examples/penguins/pipeline.yaml'], join(blocker, '.myelin'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(blocker);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

// keep the import used even when the file is trimmed
void repoRoot;
