import { MyelinError } from '@myelin/errors';
import type { MetadataStore } from '@myelin/registry';
import { DEPLOY_EVENTS } from './deploy-events.js';
import { resolveRollout, type RolloutSettings } from './rollout-settings.js';

/** What `myelin deploy <name> <version> --strategy …` asks for. */
export interface DeploymentRequest {
  model: string;
  version: number;
  /** direct: move the served alias now; canary / shadow: make the version the candidate. */
  strategy: 'direct' | 'canary' | 'shadow';
  /** Rollout settings (canary/shadow); unset fields take the defaults. */
  settings?: Omit<RolloutSettings, 'strategy'>;
  /** The alias that serves. @defaultValue 'production' */
  alias?: string;
  /** The alias a candidate takes. @defaultValue 'candidate' */
  candidateAlias?: string;
  /** Who asks (alias history). */
  who: string;
  /** Why (alias history). @defaultValue a description of the deployment */
  why?: string;
}

/** What was recorded. */
export interface DeploymentResult {
  alias: string;
  version: number;
  previous: number | null;
}

/**
 * Records a deployment in the registry; running servers pick it up at their next poll.
 * direct: points the served alias at the version at once. canary/shadow: appends a
 * `serving.deploy.started` event with the resolved settings to the version's training run, then
 * points the `candidate` alias at it; the servers then route, compare and decide.
 *
 * @example
 * await recordDeployment(meta, { model: 'penguins', version: 4, strategy: 'canary', settings: { traffic: 0.2, duration: 300 }, who: 'cli:ana' });
 */
export async function recordDeployment(
  meta: MetadataStore,
  req: DeploymentRequest,
): Promise<DeploymentResult> {
  const rec = await meta.getVersion(req.model, req.version);
  if (!rec)
    throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `${req.model}@${req.version} does not exist`);
  const alias = req.alias ?? 'production';
  const target = req.strategy === 'direct' ? alias : (req.candidateAlias ?? 'candidate');
  const previous = await meta.resolveAlias(req.model, target);
  if (req.strategy === 'direct') {
    const why = req.why ?? `direct deploy of @${req.version}`;
    await meta.setAlias(req.model, alias, req.version, { who: req.who, why });
    await meta.appendEvent(rec.runId, DEPLOY_EVENTS.promoted, {
      model: req.model,
      version: req.version,
      strategy: 'direct',
      decision: 'promote',
      reasons: [why],
      who: req.who,
      previous,
    });
    return { alias, version: req.version, previous };
  }
  const settings = resolveRollout({ ...req.settings, strategy: req.strategy });
  if (!(settings.traffic > 0 && settings.traffic < 1)) {
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `traffic must be between 0 and 1 (exclusive), got ${settings.traffic}`,
    );
  }
  const stable = await meta.resolveAlias(req.model, alias);
  if (stable === null) {
    throw new MyelinError(
      'MYELIN_ERR_REGISTRY_NOT_FOUND',
      `${req.model} has no "${alias}" version to compare a ${req.strategy} with; deploy one with --strategy direct first`,
    );
  }
  if (stable === req.version)
    throw new MyelinError('MYELIN_ERR_USAGE', `${req.model}@${req.version} already is "${alias}"`);
  await meta.appendEvent(rec.runId, DEPLOY_EVENTS.started, {
    model: req.model,
    version: req.version,
    stableVersion: stable,
    settings,
    who: req.who,
  });
  await meta.setAlias(req.model, target, req.version, {
    who: req.who,
    why:
      req.why ??
      `${req.strategy} of @${req.version} against @${stable} (traffic ${settings.traffic}, window ${settings.duration} s)`,
  });
  return { alias: target, version: req.version, previous };
}
