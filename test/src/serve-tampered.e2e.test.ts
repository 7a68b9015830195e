import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { myelin, penguinsPipeline, repoRoot, scratch, startMyelinServer } from './myelin-cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The weights file of a version in the embedded store, as `myelin verify --json` names it. */
function weightsPath(home: string, ref: string): string {
  const v = JSON.parse(myelin(['verify', ref, '--json'], home).stdout) as { manifest: string };
  const manifest = JSON.parse(readFileSync(join(home, 'artifacts', v.manifest)).toString()) as {
    files: { role: string; key: string }[];
  };
  return join(home, 'artifacts', manifest.files.find((f) => f.role === 'weights')!.key);
}

describe('myelin serve with two models, one tampered (issue 12, item 5)', () => {
  it('refuses and reports the tampered one; the other serves', async () => {
    const home = scratch('serve-tampered');
    const dir = scratch('serve-tampered-pipelines');
    dirs.push(home, dir);
    // different epochs: different weights (the store is content-addressed, equal files are one file)
    for (const [name, epochs] of [
      ['good', 5],
      ['bad', 6],
    ] as const) {
      const r = myelin(['run', penguinsPipeline(dir, { name, epochs, gate: 0.5 }), '--json'], home);
      expect(r.code, r.stderr).toBe(0);
    }
    const path = weightsPath(home, 'bad:staging');
    const bytes = readFileSync(path);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(path, bytes);

    const server = await startMyelinServer(
      ['serve', '--model', 'good:staging', '--model', 'bad:staging', '--port', '0'],
      home,
    );
    try {
      const { url } = server;
      const stderr = server.stderr();
      expect(stderr).toMatch(/bad: not served: .*weights\.bin \(hash-mismatch/);
      const predict = (model: string) =>
        fetch(`${url}/v1/models/${model}:predict`, {
          method: 'POST',
          body: JSON.stringify({
            instances: [
              {
                Island: 'Biscoe',
                'Beak Length (mm)': 47.5,
                'Beak Depth (mm)': 15,
                'Flipper Length (mm)': 218,
                'Body Mass (g)': 4950,
                Sex: 'FEMALE',
              },
            ],
          }),
        });
      expect((await predict('good')).status).toBe(200);
      expect((await predict('bad')).status).toBe(503);
      expect((await fetch(`${url}/v2/health/ready`)).status).toBe(503);
      expect((await fetch(`${url}/v2/models/good/ready`)).status).toBe(200);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/myelin_serving_model_ready\{model="bad"\} 0/);
      expect(metrics).toMatch(/myelin_serving_model_load_failures_total\{model="bad"\} 1/);
      const status = (await (await fetch(`${url}/v1/status`)).json()) as {
        models: { name: string; lastError: { message: string } | null }[];
      };
      expect(status.models.find((m) => m.name === 'bad')!.lastError!.message).toMatch(/weights\.bin/);
      expect(status.models.find((m) => m.name === 'good')!.lastError).toBeNull();
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('--engine torch predicts what the tfjs model predicts; an unknown --engine is a usage error', async () => {
    const home = scratch('serve-engine');
    const dir = scratch('serve-engine-pipelines');
    dirs.push(home, dir);
    const r = myelin(['run', penguinsPipeline(dir, { name: 'pe', epochs: 5, gate: 0.5 }), '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const bad = myelin(['serve', '--model', 'pe:staging', '--port', '0', '--engine', 'onnx'], home);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--engine must be tfjs or torch, got "onnx"/);

    const rows = [
      {
        Island: 'Biscoe',
        'Beak Length (mm)': 47.5,
        'Beak Depth (mm)': 15,
        'Flipper Length (mm)': 218,
        'Body Mass (g)': 4950,
        Sex: 'FEMALE',
      },
      {
        Island: 'Dream',
        'Beak Length (mm)': 39.1,
        'Beak Depth (mm)': 18.7,
        'Flipper Length (mm)': 181,
        'Body Mass (g)': 3750,
        Sex: 'MALE',
      },
    ];
    const served = async (engine: string): Promise<{ predictions: number[][]; stderr: string }> => {
      const server = await startMyelinServer(
        ['serve', '--model', 'pe:staging', '--port', '0', '--engine', engine],
        home,
      );
      try {
        const { url } = server;
        const res = await fetch(`${url}/v1/models/pe:predict`, {
          method: 'POST',
          body: JSON.stringify({ instances: rows }),
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { predictions: { probabilities: number[] }[] };
        return { predictions: body.predictions.map((p) => p.probabilities), stderr: server.stderr() };
      } finally {
        server.child.kill('SIGTERM');
      }
    };
    const tfjs = await served('tfjs');
    const torch = await served('torch');
    // CI builds the addon (.ci/run fails without it), so torch is taken, not fallen back from
    expect(torch.stderr).not.toMatch(/not the torch addon/);
    expect(torch.predictions).toHaveLength(2);
    for (const [i, p] of torch.predictions.entries())
      for (const [j, v] of p.entries())
        expect(Math.abs(v - tfjs.predictions[i]![j]!)).toBeLessThanOrEqual(1e-5);
  });

  it('`myelin serve --help` and packages/serving/README.md give the same defaults', () => {
    const home = scratch('serve-help');
    dirs.push(home);
    const help = myelin(['serve', '--help'], home).stdout.replace(/\s+/g, ' ');
    const readme = readFileSync(join(repoRoot, 'packages/serving/README.md'), 'utf8');
    // knob rows: | `option` … | default | `--flag` |
    const rows = [...readme.matchAll(/^\|[^|]*\|\s*([^|]+?)\s*\|\s*`(--[a-z-]+)[^`]*`[^|]*\|$/gm)];
    const checked: string[] = [];
    for (const [, def, flag] of rows) {
      if (!/^\d+$/.test(def!)) continue; // "1 MiB", "8500, 127.0.0.1", "none (open)": not a plain number
      const at = help.indexOf(`${flag} `);
      expect(at, `${flag} is in the README but not in myelin serve --help`).toBeGreaterThanOrEqual(0);
      const text = help.slice(at, help.indexOf(' --', at + flag!.length));
      const shown = /\(default:? "?(\d+)/.exec(text)?.[1];
      expect(shown, `${flag}: ${text}`).toBe(def);
      checked.push(flag!);
    }
    expect(checked).toEqual(
      expect.arrayContaining(['--batch-timeout-ms', '--max-batch-size', '--max-queued-rows']),
    );
  });
});
