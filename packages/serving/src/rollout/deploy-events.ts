/**
 * Registry event types the server and `myelin deploy` write. The metadata store has no
 * deployments table, so a rollout is the `candidate` alias plus these events, appended to the
 * run that trained the version concerned (its lineage then shows how it was deployed), and the
 * alias history's `why` text.
 */
export const DEPLOY_EVENTS = {
  /** `myelin deploy` asked for a rollout; payload: { model, version, settings, who }. */
  started: 'serving.deploy.started',
  /** The candidate took the served alias; payload: decision, reasons, figures, settings. */
  promoted: 'serving.deploy.promoted',
  /** The candidate was dropped; payload as for promoted. */
  rolledBack: 'serving.deploy.rolled-back',
  /** A feature's drift crossed the threshold; payload: { model, version, feature, metric, score, threshold, window }. */
  drift: 'serving.drift',
} as const;

/**
 * The pub/sub channel on which alias moves are announced (payload: `{ model }` JSON) on a stack
 * with Redis, under the stack's key prefix (`executor.prefix`, `MYELIN_QUEUE_PREFIX`): stacks
 * sharing one Redis with different prefixes never nudge each other's servers.
 *
 * @example aliasNudgeChannel('myelin'); // 'myelin:serving:alias-moved'
 */
export function aliasNudgeChannel(prefix: string): string {
  return `${prefix}:serving:alias-moved`;
}
