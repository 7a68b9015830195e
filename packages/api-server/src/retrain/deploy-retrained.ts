import type { MetadataStore } from '@myelin/registry';
import type { DeployRetrained } from '@myelin/pipeline';
import { recordDeployment, rolloutFromDeploy, type RolloutSettings } from '@myelin/serving';

function withoutStrategy({ strategy: _s, ...rest }: RolloutSettings): Omit<RolloutSettings, 'strategy'> {
  return rest;
}

/**
 * How the API rolls out a version a retraining run registered: what `myelin deploy` records, with
 * the pipeline's `deploy:` settings (canary or shadow: the version becomes the candidate that the
 * model servers analyse and promote or roll back, recording the decision; direct: the served alias
 * moves now).
 */
export function deployRetrained(meta: MetadataStore): DeployRetrained {
  return async ({ model, version, deploy, runId }) => {
    const rollout = rolloutFromDeploy(deploy);
    const result = await recordDeployment(meta, {
      model,
      version,
      strategy: deploy.strategy,
      ...(rollout ? { settings: withoutStrategy(rollout) } : {}),
      alias: deploy.alias,
      who: 'retrain',
      why: `retraining run ${runId}: ${deploy.strategy} of @${version}`,
    });
    return deploy.strategy === 'direct'
      ? `${model}:${result.alias} → @${version}${result.previous !== null ? ` (was @${result.previous})` : ''}`
      : `${model}@${version} is the ${deploy.strategy} candidate against ${model}:${deploy.alias}; the model servers analyse it and promote or roll it back`;
  };
}
