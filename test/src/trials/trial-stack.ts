import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEmbeddedMetadataStore, type MetadataStore } from '@myelin/registry';
import { startRedisServer, type TestRedisServer } from '@myelin/pipeline/testing';
import { scratch } from '../myelin-cli.js';

/** The stack of a trial: its own redis-server, artifacts and SQLite metadata in a scratch MYELIN_HOME. */
export interface TrialStack {
  redis: TestRedisServer;
  home: string;
  /** The folder pipelines are written to (and the API's --pipelines-dir). */
  dir: string;
  /** The metadata store, opened in this process to check what the processes recorded. */
  meta: MetadataStore;
  /** The environment every `myelin` process of the trial gets. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Starts a trial's stack: loopback only, nothing shared with other tests. */
export async function startTrialStack(prefix: string): Promise<TrialStack> {
  const dir = scratch(prefix);
  const home = join(dir, 'home');
  const redis = await startRedisServer();
  const env = { MYELIN_HOME: home, MYELIN_REDIS_URL: redis.url, MYELIN_QUEUE_PREFIX: `trial-${prefix}-${process.pid}` };
  // the metadata file is created (and migrated) by this process before any worker opens it
  const meta = await openEmbeddedMetadataStore({ dir: home });
  return {
    redis,
    home,
    dir,
    meta,
    env,
    close: async () => {
      await meta.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Options of {@link trialPipeline}. */
export interface TrialPipelineOptions {
  name: string;
  epochs: number;
  /** Width of the two hidden layers: larger makes each epoch slower. @defaultValue 64 */
  units?: number;
  /** @defaultValue 8 */
  batchSize?: number;
}

/** A penguins pipeline with a checkpoint every epoch, written into `dir`; returns its path. */
export function trialPipeline(dir: string, o: TrialPipelineOptions): string {
  const file = join(dir, `${o.name}.yaml`);
  writeFileSync(file, trialPipelineText(o));
  return file;
}

/** The text of {@link trialPipeline}. */
export function trialPipelineText(o: TrialPipelineOptions): string {
  const units = o.units ?? 64;
  return `apiVersion: myelin/v1
name: ${o.name}
data:
  source: npm:vega-datasets/data/penguins.json
  target: Species
  features: [Island, Beak Length (mm), Beak Depth (mm), Flipper Length (mm), Body Mass (g), Sex]
  split: { train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: true }
preprocess: { impute: { numeric: median, category: mostFrequent }, scale: standard, encode: onehot }
model:
  layers:
    - dense: { units: ${units}, activation: relu }
    - dense: { units: ${units}, activation: relu }
train:
  epochs: ${o.epochs}
  batchSize: ${o.batchSize ?? 8}
  optimizer: { name: adam, learningRate: 0.01 }
  seed: 7
  checkpointEvery: 1
evaluate:
  gates:
    accuracy: { min: 0.3 }
register:
  model: ${o.name}
  aliases: [staging]
`;
}

/** Flags of a trial worker: short locks, so a killed worker's job moves on within seconds. */
export const TRIAL_WORKER_FLAGS = [
  'worker',
  '--queues',
  'cpu',
  '--concurrency',
  '1',
  '--lock-duration-ms',
  '3000',
  '--stalled-interval-ms',
  '1000',
  '--reconcile-interval-ms',
  '1000',
];
