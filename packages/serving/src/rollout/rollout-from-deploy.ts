import type { RolloutSettings } from './rollout-settings.js';

/** The part of a pipeline's `deploy:` section a rollout reads (the spec's `DeploySection`). */
export interface DeployIntent {
  strategy: 'direct' | 'canary' | 'shadow';
  canary?: {
    traffic: number;
    /** Seconds. */
    duration: number;
    maxErrorRateIncrease?: number;
    maxLatencyP95Increase?: number;
    maxDivergence?: number;
  };
}

/**
 * The rollout settings a pipeline's `deploy:` section asks for; undefined for `direct` (or no
 * canary block). Used by `myelin deploy` and by retraining's automatic rollout.
 *
 * @example rolloutFromDeploy({ strategy: 'canary', canary: { traffic: 0.2, duration: 300 } }) // { strategy: 'canary', traffic: 0.2, duration: 300 }
 */
export function rolloutFromDeploy(deploy: DeployIntent | undefined): RolloutSettings | undefined {
  if (!deploy || deploy.strategy === 'direct' || !deploy.canary) return undefined;
  const c = deploy.canary;
  return {
    strategy: deploy.strategy,
    traffic: c.traffic,
    duration: c.duration,
    ...(c.maxErrorRateIncrease !== undefined ? { maxErrorRateIncrease: c.maxErrorRateIncrease } : {}),
    ...(c.maxLatencyP95Increase !== undefined ? { maxLatencyP95Increase: c.maxLatencyP95Increase } : {}),
    ...(c.maxDivergence !== undefined ? { maxDivergence: c.maxDivergence } : {}),
  };
}
