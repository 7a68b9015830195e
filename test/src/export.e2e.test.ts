import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { myelin, repoRoot, scratchFolders } from './myelin-cli.js';

const tmp = scratchFolders();

/** An example pipeline with fewer epochs and a gate it passes, written next to its data. */
function example(name: 'penguins' | 'shapes', dir: string, epochs: number): string {
  const text = readFileSync(join(repoRoot, 'examples', name, 'pipeline.yaml'), 'utf8')
    .replace(/epochs: \d+/, `epochs: ${epochs}`)
    .replace(/accuracy: \{ min: [\d.]+ \}/, 'accuracy: { min: 0.3 }')
    .replace(/\n {2}compareTo: production\n {2}tolerance: [\d.]+/, '');
  if (name === 'shapes') {
    writeFileSync(join(dir, 'shapes.csv'), readFileSync(join(repoRoot, 'examples/shapes/shapes.csv')));
  }
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

interface Exported {
  model: string;
  version: number;
  dir: string;
  files: string[];
  input?: { name: string; dims: number[] };
  output?: { name: string; dims: number[] };
}

/** Runs the exported ONNX graph and the exported (served) tfjs files on the same encoded rows; the largest difference. */
async function compare(onnxFile: string, tfjsDir: string, rows: number, features: number): Promise<number> {
  const json = JSON.parse(readFileSync(join(tfjsDir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weights = readFileSync(join(tfjsDir, 'weights.bin'));
  const served = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: Uint8Array.prototype.slice.call(weights).buffer,
    }),
  );
  const x = Float32Array.from({ length: rows * features }, (_, i) => Math.sin(i * 12.9898) * 2);
  const expected = (served.predict(tf.tensor2d(x, [rows, features])) as tf.Tensor).dataSync();
  const session = await ort.InferenceSession.create(readFileSync(onnxFile));
  const out = await session.run({ input: new ort.Tensor('float32', x, [rows, features]) });
  const got = out.output!.data as Float32Array;
  expect(got.length).toBe(expected.length);
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - expected[i]!));
  return diff;
}

describe('myelin export: Triton/KServe model repositories from registered versions', () => {
  it('penguins: model.onnx is in the manifest and verified; export writes config.pbtxt, labels and the preprocessing; ONNX Runtime matches the served model', async () => {
    const home = tmp('export-home');
    const dir = tmp('export-p');
    const run = myelin(['run', example('penguins', dir, 8), '--json'], home);
    expect(run.code, run.stderr).toBe(0);

    const verified = JSON.parse(myelin(['verify', 'penguins:staging', '--json'], home).stdout) as {
      ok: boolean;
      manifest: string;
    };
    expect(verified.ok).toBe(true);
    const manifest = JSON.parse(readFileSync(join(home, 'artifacts', verified.manifest), 'utf8')) as {
      files: { role: string; name: string; key: string }[];
    };
    expect(manifest.files.find((f) => f.name === 'model.onnx')).toMatchObject({ role: 'onnx' });

    const out = tmp('export-repo');
    const r = myelin(['export', 'penguins:staging', '--format', 'onnx', '--out', out, '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as Exported;
    expect(e.files).toEqual([
      'penguins/1/model.onnx',
      'penguins/1/preprocessor.json',
      'penguins/1/schema.json',
      'penguins/1/target-encoder.json',
      'penguins/config.pbtxt',
      'penguins/labels.txt',
    ]);
    // the exported graph is the registered file, byte for byte
    const onnxKey = manifest.files.find((f) => f.name === 'model.onnx')!.key;
    expect(readFileSync(join(out, 'penguins/1/model.onnx'))).toEqual(
      readFileSync(join(home, 'artifacts', onnxKey)),
    );
    const classes = (
      JSON.parse(readFileSync(join(out, 'penguins/1/target-encoder.json'), 'utf8')) as { classes: string[] }
    ).classes;
    expect(readFileSync(join(out, 'penguins/labels.txt'), 'utf8')).toBe(`${classes.join('\n')}\n`);
    const features = e.input!.dims[0]!;
    expect(e.output).toEqual({ name: 'output', dims: [classes.length] });
    expect(readFileSync(join(out, 'penguins/config.pbtxt'), 'utf8')).toBe(
      [
        'name: "penguins"',
        'platform: "onnxruntime_onnx"',
        'max_batch_size: 64',
        'input [',
        '  {',
        '    name: "input"',
        '    data_type: TYPE_FP32',
        `    dims: [ ${features} ]`,
        '  }',
        ']',
        'output [',
        '  {',
        '    name: "output"',
        '    data_type: TYPE_FP32',
        `    dims: [ ${classes.length} ]`,
        '    label_filename: "labels.txt"',
        '  }',
        ']',
        '',
      ].join('\n'),
    );

    const tfjsOut = tmp('export-tfjs');
    const t = myelin(['export', 'penguins@1', '--format', 'tfjs', '--out', tfjsOut], home);
    expect(t.code, t.stderr).toBe(0);
    expect(
      await compare(join(out, 'penguins/1/model.onnx'), join(tfjsOut, 'penguins/1'), 25, features),
    ).toBeLessThanOrEqual(1e-5);

    // nothing is overwritten; a bad format is a usage error
    const again = myelin(['export', 'penguins:staging', '--out', out], home);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists and is not empty/);
    expect(myelin(['export', 'penguins', '--format', 'savedmodel', '--out', out], home).code).toBe(2);
    expect(myelin(['export', 'nope', '--out', out], home).code).toBe(1);
  });

  it('shapes: a CNN (reshape → conv2d → max pooling → flatten → dense) exports and matches', async () => {
    const home = tmp('export-shapes-home');
    const dir = tmp('export-s');
    const run = myelin(['run', example('shapes', dir, 3), '--json'], home);
    expect(run.code, run.stderr).toBe(0);
    const out = tmp('export-shapes-repo');
    const e = JSON.parse(
      myelin(['export', 'shapes:staging', '--out', out, '--json'], home).stdout,
    ) as Exported;
    expect(e.input).toEqual({ name: 'input', dims: [64] });
    expect(e.output).toEqual({ name: 'output', dims: [4] });
    const tfjsOut = tmp('export-shapes-tfjs');
    expect(myelin(['export', 'shapes@1', '--format', 'tfjs', '--out', tfjsOut], home).code).toBe(0);
    expect(
      await compare(join(out, 'shapes/1/model.onnx'), join(tfjsOut, 'shapes/1'), 16, 64),
    ).toBeLessThanOrEqual(1e-5);
  });
});
