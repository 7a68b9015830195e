import type { ChainEvent } from './retraining-types.js';

const num = (v: unknown): string => (typeof v === 'number' ? (Math.round(v * 1000) / 1000).toString() : '?');
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * One line for an event of a retraining's chain.
 *
 * @example describeChainEvent({ type: 'serving.deploy.promoted', ts: 0, payload: { version: 2 } }) // 'promoted @2'
 */
export function describeChainEvent(e: ChainEvent): string {
  const p = e.payload ?? {};
  switch (e.type) {
    case 'retrain.started':
      return p.trigger === 'schedule'
        ? `started on schedule ${text(p.schedule)}`
        : `started on drift of "${text(p.feature)}" (${text(p.metric)} ${num(p.score)} > ${num(p.threshold)})`;
    case 'serving.deploy.started':
      return `rollout of @${num(p.version)} against @${num(p.stableVersion)}`;
    case 'retrain.deployed':
      return text(p.detail);
    case 'serving.deploy.promoted':
      return `promoted @${num(p.version)}`;
    case 'serving.deploy.rolled-back':
      return `rolled back @${num(p.version)}${Array.isArray(p.reasons) ? `: ${p.reasons.map(text).join('; ')}` : ''}`;
    default:
      return e.type;
  }
}
