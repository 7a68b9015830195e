import type { SelectEngineOptions, TrainingEngine } from '@myelin/training';
import { ENGINE_NAMES } from '@myelin/training/config';
import { ARTIFACT_STORE_FLAVORS } from './artifact-store-flavors.js';
import { EXECUTOR_FLAVORS } from './executor-flavors.js';
import { METADATA_STORE_FLAVORS } from './metadata-store-flavors.js';
import { MLFLOW_FLAVORS } from './mlflow-flavors.js';

/**
 * Every port of a stack and its flavors, in one place. The stack file's sections select them by
 * `kind`; `openStack` opens them by lookup here. The training engine is chosen per step (by the
 * step's resources and `MYELIN_ENGINE`), so it is listed by reference to its own selection
 * (`selectEngine` in @myelin/training), not opened with the stack.
 */
export const STACK_FLAVORS = {
  executor: EXECUTOR_FLAVORS,
  artifacts: ARTIFACT_STORE_FLAVORS,
  database: METADATA_STORE_FLAVORS,
  mlflow: MLFLOW_FLAVORS,
  engine: {
    kinds: ENGINE_NAMES,
    // the engines (tfjs, libtorch) load when a step trains, not when a command opens its stack
    select: async (opts?: SelectEngineOptions): Promise<TrainingEngine> => (await import('@myelin/training')).selectEngine(opts),
  },
} as const;
