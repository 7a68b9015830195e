import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStack, runPipeline, type Stack } from '@myelin/pipeline';
import { parseSpec } from '@myelin/spec';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));

/** A small penguins pipeline (a few seconds of training) registering under `aliases`. */
export function penguinsSpec(opts: {
  seed: number;
  aliases: string[];
  epochs?: number;
  unseen?: string;
  model?: string;
}): string {
  return `apiVersion: myelin/v1
name: serve-test
data:
  source: npm:vega-datasets/data/penguins.json
  target: Species
  features: [Island, Beak Length (mm), Beak Depth (mm), Flipper Length (mm), Body Mass (g), Sex]
preprocess:
  impute: { numeric: median, category: mostFrequent }
  scale: standard
  encode: onehot
  unseen: ${opts.unseen ?? 'ignore'}
model: { layers: [ { dense: { units: 8, activation: relu } } ] }
train: { epochs: ${opts.epochs ?? 15}, batchSize: 32, seed: ${opts.seed}, optimizer: { name: adam, learningRate: 0.02 } }
evaluate: { gates: { accuracy: { min: 0.5 } } }
register: { model: ${opts.model ?? 'penguins'}, aliases: [${opts.aliases.join(', ')}] }
`;
}

/** A temporary embedded stack for one test file. */
export interface TestStack {
  home: string;
  stack: Stack;
  /** Runs a pipeline text (relative to examples/penguins) and returns the registered version. */
  register(text: string): Promise<number>;
  dispose(): Promise<void>;
}

/** Opens a fresh embedded stack in a temp folder. */
export async function openTestStack(): Promise<TestStack> {
  const home = mkdtempSync(join(tmpdir(), 'myelin-serving-'));
  const stack = await openEmbeddedStack(home);
  return {
    home,
    stack,
    async register(text) {
      const summary = await runPipeline(
        parseSpec(text, join(examples, 'penguins', 'serve-test.yaml')),
        stack,
        { noCache: true },
      );
      if (!summary.model)
        throw new Error(`the test pipeline failed: ${summary.error?.message ?? summary.status}`);
      return summary.model.version;
    },
    async dispose() {
      await stack.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A valid raw penguins instance. */
export const PENGUIN = {
  Island: 'Biscoe',
  'Beak Length (mm)': 47.5,
  'Beak Depth (mm)': 15,
  'Flipper Length (mm)': 218,
  'Body Mass (g)': 4950,
  Sex: 'FEMALE',
};

/** A small regression pipeline (cars: miles per gallon) registering `model` under `aliases`. */
export function carsSpec(opts: { seed: number; aliases: string[]; model?: string; epochs?: number }): string {
  return `apiVersion: myelin/v1
name: serve-test-cars
data:
  source: npm:vega-datasets/data/cars.json
  target: Miles_per_Gallon
  features: [Cylinders, Displacement, Horsepower, Weight_in_lbs, Acceleration, Origin]
validate: { schema: infer, maxMissingFraction: 0.05, onFailure: warn }
preprocess:
  impute: { numeric: median, category: mostFrequent }
  scale: standard
  encode: onehot
  unseen: ignore
model: { layers: [ { dense: { units: 8, activation: relu } } ] }
train: { epochs: ${opts.epochs ?? 20}, batchSize: 32, seed: ${opts.seed}, optimizer: { name: adam, learningRate: 0.02 } }
evaluate: { metrics: [mae], gates: { mae: { max: 1000 } } }
register: { model: ${opts.model ?? 'cars'}, aliases: [${opts.aliases.join(', ')}] }
`;
}

/** A valid raw cars instance. */
export const CAR = {
  Cylinders: 4,
  Displacement: 140,
  Horsepower: 90,
  Weight_in_lbs: 2264,
  Acceleration: 15.5,
  Origin: 'USA',
};
