import type { ModelManifest } from '@myelin/artifacts';
import type { DataSchema, FittedPreprocessor, Profile, TargetEncoder } from '@myelin/data';
import type { VersionRecord } from '@myelin/registry';
import type * as tf from '@tensorflow/tfjs';
import type { VersionPredictor } from './version-predictor.js';

/** A model version loaded, verified and warmed up, ready to take traffic. */
export interface LoadedVersion {
  model: string;
  version: number;
  record: VersionRecord;
  manifest: ModelManifest;
  tfModel: tf.LayersModel;
  /** What runs the model for traffic (the torch addon when it matches the tfjs model, else tfjs); disposing it disposes the tfjs model too. */
  predictor: VersionPredictor;
  preprocessor: FittedPreprocessor;
  targetEncoder: TargetEncoder;
  /** The training schema (from the version's `schema` file). */
  schema: DataSchema;
  /** The training profile, the drift baseline (from the version's `profile` file). */
  profile: Profile;
  /** Values per encoded row (the model's flat input width). */
  inputWidth: number;
  /** The shape a row takes inside the model, e.g. [6] or [8, 8, 1]. */
  inputShape: number[];
  /** Values per output row. */
  outputWidth: number;
  /** Class labels for classifiers (index i is output i), null for regression. */
  classes: string[] | null;
  /** Milliseconds the load took (fetch, verify, build, warm-up). */
  loadMs: number;
}
