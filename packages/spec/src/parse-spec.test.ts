import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { MyelinErrorList } from '@myelin/errors';
import { FORMAT_EXTENSIONS } from '@myelin/data/config';
import { describe, expect, it } from 'vitest';
import { SPEC_DEFAULTS } from './defaults.js';
import { parseSpec } from './parse-spec.js';
import { MINIMAL, errorsOf } from './test-helpers.js';

const EXAMPLE = readFileSync(new URL('./fixtures/penguins.yaml', import.meta.url), 'utf8');

describe('parseSpec: valid files', () => {
  it('parses the full example of PIPELINE-FORMAT.md', () => {
    const { spec, file, dir, hash, text } = parseSpec(EXAMPLE, 'examples/penguins.yaml');
    expect(spec.name).toBe('penguins-species');
    expect(spec.data.features).toContain('Beak Length (mm)');
    expect(spec.data.format).toBe('json');
    expect(spec.validate.columns['Body Mass (g)']).toEqual({
      type: 'number',
      min: 2000,
      max: 7000,
      nullable: true,
    });
    expect(spec.model.layers).toEqual([
      { dense: { units: 32, activation: 'relu' } },
      { dropout: { rate: 0.2 } },
      { dense: { units: 16, activation: 'relu' } },
    ]);
    expect(spec.train.earlyStopping).toEqual({
      monitor: 'val_loss',
      patience: 15,
      minDelta: 0,
      restoreBestWeights: true,
    });
    expect(spec.deploy?.canary?.duration).toBe(600);
    expect(spec.monitor?.retrain).toEqual({ onDrift: true, schedule: '0 3 * * 1' });
    expect(isAbsolute(file)).toBe(true);
    expect(file.endsWith('examples/penguins.yaml')).toBe(true);
    expect(dir.endsWith('examples')).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toBe(EXAMPLE);
  });

  it('applies every default to a minimal file', () => {
    const { spec } = parseSpec(MINIMAL, 'tiny.yaml');
    expect(spec.data.split).toEqual(SPEC_DEFAULTS.data.split);
    expect(spec.data.format).toBe('csv');
    expect(spec.validate).toEqual({ ...SPEC_DEFAULTS.validate, columns: {} });
    expect(spec.preprocess).toEqual(SPEC_DEFAULTS.preprocess);
    // earlyStopping is off unless the block is written; its defaults fill the block when it is.
    expect(spec.train).toEqual(withoutEarlyStopping(SPEC_DEFAULTS.train));
    expect(spec.evaluate).toEqual({ gates: {}, tolerance: 0 });
    expect(spec.register).toEqual({ model: 'tiny', aliases: ['staging'] });
    expect(spec.deploy).toBeUndefined();
    expect(spec.monitor).toBeUndefined();
  });

  it('fills defaults inside optional sections once they are present', () => {
    const { spec } = parseSpec(
      `${MINIMAL}deploy: {}\nmonitor: {}\ntrain:\n  earlyStopping: {}\n`,
      'tiny.yaml',
    );
    expect(spec.deploy).toEqual({ alias: 'production', strategy: 'direct' });
    expect(spec.monitor).toEqual({ drift: SPEC_DEFAULTS.monitor.drift });
    expect(spec.train.earlyStopping).toEqual(SPEC_DEFAULTS.train.earlyStopping);
  });

  it('does not share default objects between parses', () => {
    const a = parseSpec(MINIMAL, 'a.yaml').spec;
    a.register.aliases.push('mutated');
    a.validate.columns['x'] = {};
    const b = parseSpec(MINIMAL, 'b.yaml').spec;
    expect(b.register.aliases).toEqual(['staging']);
    expect(b.validate.columns).toEqual({});
  });

  it('accepts image layers with data.shape, empty layer bodies and schedules', () => {
    const text = MINIMAL.replace('  target: y\n', '  target: y\n  shape: [8, 8, 1]\n').replace(
      '    - dense: { units: 4 }\n',
      `    - conv2d: { filters: 8, kernelSize: 3, padding: same, activation: relu }
    - batchNormalization:
    - maxPooling2d: { poolSize: [2, 2] }
    - flatten:
    - dense: { units: 4, kernelRegularizer: { l2: 0.001 } }
train:
  lrSchedule: { type: step, every: 10, factor: 0.5 }
  classWeights: balanced
`,
    );
    const { spec } = parseSpec(text, 'digits.yaml');
    expect(spec.model.layers[1]).toEqual({ batchNormalization: {} });
    expect(spec.model.layers[3]).toEqual({ flatten: {} });
    expect(spec.train.lrSchedule).toEqual({ type: 'step', every: 10, factor: 0.5 });
  });

  it('accepts npm:, s3:// and file:// sources', () => {
    for (const source of [
      'npm:vega-datasets/data/penguins.json',
      'npm:@scope/pkg/data/x.csv',
      's3://bucket/key/rows.parquet',
      'file:///tmp/rows.jsonl',
    ]) {
      const { spec } = parseSpec(MINIMAL.replace('./rows.csv', source), 'p.yaml');
      expect(spec.data.source).toBe(source);
    }
  });

  it('reads every extension the data readers read, from their one table (.tsv is csv)', () => {
    for (const [ext, { format }] of Object.entries(FORMAT_EXTENSIONS)) {
      const { spec } = parseSpec(MINIMAL.replace('./rows.csv', `./rows${ext.toUpperCase()}`), 'p.yaml');
      expect(spec.data.format).toBe(format);
    }
    expect(parseSpec(MINIMAL.replace('./rows.csv', './rows.tsv'), 'p.yaml').spec.data.format).toBe('csv');
  });

  it('allows a few YAML aliases for shared blocks', () => {
    const text = MINIMAL.replace(
      '    - dense: { units: 4 }\n',
      '    - dense: &hidden { units: 4, activation: relu }\n    - dense: *hidden\n',
    );
    expect(parseSpec(text, 'p.yaml').spec.model.layers).toHaveLength(2);
  });
});

function withoutEarlyStopping<T extends { earlyStopping?: unknown }>(train: T): Omit<T, 'earlyStopping'> {
  const { earlyStopping: _unused, ...rest } = train;
  return rest;
}

describe('parseSpec: located errors', () => {
  it('reports a wrong type with file:line:col, path and a human message', () => {
    const text = `${MINIMAL}train:\n  epochs: 5\n  optimizer:\n    name: adam\n    learningRate: fast\n`;
    const [e, ...rest] = errorsOf(text, 'penguins.yaml');
    expect(rest).toEqual([]);
    expect(e?.message).toBe(
      'penguins.yaml:13:5 train.optimizer.learningRate: expected a positive number, got "fast"',
    );
    expect(e?.code).toBe('MYELIN_ERR_SPEC_INVALID');
  });

  it('shows the file as the user gave it', () => {
    const [e] = errorsOf(`${MINIMAL}train: { epochs: 0 }\n`, 'examples/p/pipeline.yaml');
    expect(e?.message).toBe('examples/p/pipeline.yaml:9:10 train.epochs: expected a positive integer, got 0');
  });

  it('lists the allowed words of an enum', () => {
    const [e] = errorsOf(`${MINIMAL}train:\n  optimizer: { name: adamw }\n`);
    expect(e).toMatchObject({
      line: 10,
      column: 16,
      path: 'train.optimizer.name',
      detail: 'expected one of adam, sgd, momentum, rmsprop, got "adamw"',
    });
  });

  it('reports an unknown key at the key, with a suggestion', () => {
    const [e] = errorsOf(`${MINIMAL}train:\n  epoch: 3\n`);
    expect(e).toMatchObject({
      code: 'MYELIN_ERR_SPEC_UNKNOWN_KEY',
      line: 10,
      column: 3,
      path: 'train.epoch',
      detail: 'unknown key "epoch"; did you mean "epochs"?',
    });
  });

  it('lists the allowed keys when no key is close', () => {
    const [e] = errorsOf(`${MINIMAL}deploy: { zzz: 1 }\n`);
    expect(e?.detail).toBe('unknown key "zzz" (allowed here: alias, strategy, canary)');
  });

  it('reports an unknown layer type at the layer, with a suggestion', () => {
    const errors = errorsOf(MINIMAL.replace('- dense: { units: 4 }', '- dens: { units: 4 }'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'MYELIN_ERR_SPEC_UNKNOWN_KEY',
      line: 8,
      column: 7,
      path: 'model.layers[0].dens',
      detail: 'unknown layer type "dens"; did you mean "dense"?',
    });
  });

  it('rejects a layer with no type or two types', () => {
    const errors = errorsOf(
      MINIMAL.replace(
        '    - dense: { units: 4 }\n',
        '    - {}\n    - dense: { units: 4 }\n      dropout: { rate: 0.1 }\n',
      ),
    );
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [8, 'model.layers[0]'],
      [10, 'model.layers[1].dropout'],
    ]);
    expect(errors[0]?.detail).toMatch(/^a layer needs exactly one type: one of dense, dropout/);
    expect(errors[1]?.detail).toMatch(/exactly one type, got dense and dropout/);
  });

  it('reports a bad apiVersion naming the supported versions', () => {
    const [e] = errorsOf(MINIMAL.replace('myelin/v1', 'myelin/v2'));
    expect(e).toMatchObject({ code: 'MYELIN_ERR_SPEC_API_VERSION', line: 1, column: 1, path: 'apiVersion' });
    expect(e?.detail).toBe('unsupported apiVersion "myelin/v2"; supported: myelin/v1');
  });

  it('reports a missing apiVersion', () => {
    const [e] = errorsOf(MINIMAL.replace('apiVersion: myelin/v1\n', ''));
    expect(e?.code).toBe('MYELIN_ERR_SPEC_API_VERSION');
    expect(e?.detail).toMatch(/apiVersion is missing.*supported: myelin\/v1/);
  });

  it('reports a split that does not sum to 1 at data.split', () => {
    const [e] = errorsOf(MINIMAL.replace('  target: y\n', '  target: y\n  split: { train: 0.8 }\n'));
    expect(e).toMatchObject({ line: 6, column: 3, path: 'data.split' });
    expect(e?.detail).toBe('train + validation + test must sum to 1, got 0.8 + 0.15 + 0.15 = 1.1');
  });

  it('prints keys with spaces readably', () => {
    const [e] = errorsOf(`${MINIMAL}validate:\n  columns:\n    Beak Length (mm): { min: low }\n`);
    expect(e?.path).toBe('validate.columns["Beak Length (mm)"].min');
    expect(e?.message).toBe(
      'pipeline.yaml:11:25 validate.columns["Beak Length (mm)"].min: expected a number, got "low"',
    );
  });

  it('reports a missing required field at its parent', () => {
    const [e] = errorsOf(MINIMAL.replace('  target: y\n', ''));
    expect(e).toMatchObject({
      line: 3,
      column: 1,
      path: 'data.target',
      detail: 'required field is missing (expected a column name)',
    });
  });

  it('collects every problem in one pass, sorted by line', () => {
    const text = `apiVersion: myelin/v1
name: Bad Name
data:
  source: http://example.com/x.csv
  target: y
model:
  layers:
    - dense: { units: -1 }
train:
  epoch: 3
  optimizer: { learningRate: fast }
evaluate:
  gates:
    acuracy: { min: 0.9 }
monitor:
  retrain: { schedule: "61 * * * *" }
`;
    const errors = errorsOf(text);
    expect(errors.map((e) => e.path)).toEqual([
      'name',
      'data.source',
      'model.layers[0].dense.units',
      'train.epoch',
      'train.optimizer.learningRate',
      'evaluate.gates.acuracy',
      'monitor.retrain.schedule',
    ]);
    const lines = errors.map((e) => e.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(errors.find((e) => e.path === 'evaluate.gates.acuracy')?.detail).toBe(
      'unknown metric "acuracy"; did you mean "accuracy"?',
    );
  });

  it('throws one MyelinErrorList whose message has one line per problem', () => {
    try {
      parseSpec(`${MINIMAL}train: { epochs: x, batchSize: y }\n`, 'p.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MyelinErrorList);
      expect((error as MyelinErrorList).message.split('\n')).toHaveLength(2);
    }
  });

  it('checks fields across sections once each is valid', () => {
    const text =
      MINIMAL.replace('    - dense: { units: 4 }\n', '    - flatten:\n    - dense: { units: 4 }\n') +
      'task: regression\nevaluate: { metrics: [accuracy] }\n';
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.path, e.detail])).toEqual([
      ['model.layers[0].flatten', 'flatten needs image data; set data.shape, e.g. [8, 8, 1]'],
      ['evaluate.metrics[0]', 'accuracy does not apply to a regression task'],
    ]);
  });

  it('checks durations, cron schedules and sources', () => {
    const text = `${MINIMAL}deploy:\n  strategy: canary\n  canary: { traffic: 0.1, duration: soon }\nmonitor:\n  retrain: { schedule: "0 3 * *" }\n`;
    const errors = errorsOf(text.replace('./rows.csv', './rows.txt'));
    expect(errors.map((e) => e.path)).toEqual([
      'data.source',
      'deploy.canary.duration',
      'monitor.retrain.schedule',
    ]);
    expect(errors[0]?.detail).toMatch(/cannot tell the format from "\.\/rows\.txt"; set data\.format/);
    expect(errors[1]?.detail).toBe(
      'expected a duration like 30s, 10m, 1h or a number of seconds, got "soon"',
    );
  });
});
