import * as z from 'zod';
import type { ArtifactStore } from '@myelin/artifacts';
import { createMlflowMirror, type MetadataStore, type MlflowMirror } from '@myelin/registry';
import { parseSpec } from '@myelin/spec';
import { codeVersion } from '../../run/code-version.js';
import { defineFlavor, type FlavorTable } from './flavor.js';

/** `mlflow: { kind: mlflow, uri }` (`kind` may be left out) — mirror runs, versions and aliases into MLflow. */
export const mlflowConfigSchema = z.strictObject({ kind: z.literal('mlflow').default('mlflow'), uri: z.url() });

/** The stack's `mlflow` section, resolved. */
export type MlflowConfig = z.output<typeof mlflowConfigSchema>;

/** What the mirror reads from. */
export interface MlflowDeps {
  meta: MetadataStore;
  store: ArtifactStore;
}

/** The MLflow mirror port's flavors. */
export const MLFLOW_FLAVORS: FlavorTable<MlflowMirror, MlflowDeps, MlflowConfig> = [
  defineFlavor({
    kind: 'mlflow',
    configSchema: mlflowConfigSchema,
    open: async (config, deps: MlflowDeps) => {
      const code = codeVersion();
      return createMlflowMirror({
        uri: config.uri,
        meta: deps.meta,
        store: deps.store,
        resolveSpec: (text) => parseSpec(text, 'pipeline.yaml').spec,
        codeVersion: code.commit ? `${code.version}+${code.commit.slice(0, 12)}` : code.version,
      });
    },
  }),
];
