import type { ModelFileRole } from './model-version-files.js';

/** The roles of model files (see MODEL_FILES); other strings are allowed for extensions. */
export type ManifestFileRole = ModelFileRole | (string & {});

/** One file of a model version, stored in the artifact store. */
export interface ManifestFile {
  role: ManifestFileRole;
  /** File name as the model loader expects it, e.g. `model.json`, `group1-shard1of1.bin`. */
  name: string;
  /** Content key in the artifact store. */
  key: string;
  /** Hex sha256 of the content. */
  sha256: string;
  /** Size in bytes. */
  size: number;
}

/** The engine that trained a model version. */
export interface ManifestEngine {
  /** `torch` or `tfjs`. */
  name: string;
  /** `libtorch 1.13.0`, `tfjs 4.22.0`. */
  version: string;
  /** `cpu`, `cuda:0`, or the tfjs backend. */
  device: string;
  /** Intra-op threads it computed with. */
  threads: number;
}

/** The outcome of one evaluation gate. */
export interface ManifestGate {
  passed: boolean;
  value: number;
  /** The bound as written in the pipeline, e.g. `>= 0.9`. */
  bound: string;
}

/**
 * A model version: every file and its hash plus the lineage needed to reproduce it.
 * Stored as canonical JSON in the artifact store; its content key identifies the version.
 */
export interface ModelManifest {
  schemaVersion: 1;
  /** Model name in the registry. */
  model: string;
  /** ISO 8601 time of creation. */
  createdAt: string;
  files: ManifestFile[];
  /** sha256 of the canonical pipeline spec. */
  specHash: string;
  /** sha256 of the training data. */
  dataHash: string;
  code: { version: string; commit?: string };
  /** Where it trained, in short: `torch:cpu`, `torch:cuda:0`, or the tfjs backend (`wasm`, `cpu`, `tensorflow`). */
  backend: string;
  /** The training engine (absent in manifests written before the engine port). */
  engine?: ManifestEngine;
  /** Task kind, e.g. `classification`, `regression`. */
  task: string;
  metrics: Record<string, number>;
  gates: Record<string, ManifestGate>;
  runId: string;
  parentRunId?: string;
  inputShape?: number[];
}
