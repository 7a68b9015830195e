import type { ModelStatus, VersionStatus } from '@myelin/serving/status-types';
import { formatNumber } from '../format/format-number.js';

export type { FeatureDrift, ModelStatus, VersionStatus } from '@myelin/serving/status-types';

/** `GET /api/deployments`: one entry per model server in `MYELIN_SERVE_URLS`. */
export interface DeploymentsResponse {
  servers: { url: string; ok: boolean; error?: string; status?: { now: string; models: ModelStatus[] } }[];
}

const pct = (f: number): string => `${formatNumber(Math.round(f * 1000) / 10)} %`;

/**
 * Who answers what share of traffic: `v1 100 %`, `v1 90 % · v2 10 % (canary)`, or for a shadow
 * rollout `v1 100 % · v2 mirrors 10 % (shadow)`.
 */
export function trafficSplit(m: Pick<ModelStatus, 'stable' | 'candidate' | 'rollout'>): string {
  if (m.stable === null) return 'not loaded';
  if (!m.rollout || m.candidate === null) return `v${m.stable} 100 %`;
  const t = m.rollout.traffic;
  if (m.rollout.strategy === 'shadow')
    return `v${m.stable} 100 % · v${m.candidate} mirrors ${pct(t)} (shadow)`;
  return `v${m.stable} ${pct(1 - t)} · v${m.candidate} ${pct(t)} (canary)`;
}

/** Requests per second with the window it was measured over: `5.2 req/s (60 s)`. */
export function formatRate(perS: number, windowS: number): string {
  if (!Number.isFinite(perS)) return '–';
  return `${formatNumber(perS, 3)} req/s (${formatNumber(Math.round(windowS))} s)`;
}

/** Milliseconds, 3 significant digits: `6.21 ms`; `–` without a figure. */
export function formatMs(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? '–' : `${formatNumber(ms, 3)} ms`;
}

/** Live accuracy or MAE from feedback: `accuracy 0.95 (40 labels)`; `no feedback` without any. */
export function formatLiveQuality(f: VersionStatus['feedback']): string {
  if (!f) return 'no feedback';
  const labels = `${f.count} label${f.count === 1 ? '' : 's'}`;
  if (f.accuracy !== null) return `accuracy ${formatNumber(f.accuracy)} (${labels})`;
  if (f.mae !== null) return `MAE ${formatNumber(f.mae)} (${labels})`;
  return `– (${labels})`;
}
